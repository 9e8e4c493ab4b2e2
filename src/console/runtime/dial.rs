//! Starting a call-back (`Effect::Dial`): the `dial_command` run detached from the console's
//! terminal, or a `tel:` link handed to the desktop's opener. The UI never waits: the program
//! runs on its own and its end comes back as `Msg::Dialled`, so a dialler that fails (cannot
//! start, exits non-zero) has the number copied instead (`domain::dial::after_dial`).
//!
//! Where platforms differ:
//! - unix (Linux, macOS): the program gets its own process group, so the terminal's Ctrl-c
//!   and Ctrl-z (meant for the console) never reach it, and no terminal input or output.
//! - Windows: it is started without a console window, in its own process group.
//! - The opener is the `open` crate's per platform: `open` on macOS, the shell's `start` on
//!   Windows, `xdg-open` (or what the desktop offers) on Linux; a desktop with no handler for
//!   `tel:` makes it fail, and the number is copied instead.

use std::process::Stdio;

use super::perform::Work;
use crate::console::msg::Msg;
use crate::domain::dial::Dial;

/// Starts `dial` for `number`; `Msg::Dialled` says how it ended.
pub fn start(number: String, dial: Dial) -> Work {
    Work::Task(Box::pin(async move {
        let result = match &dial {
            Dial::Run { program, args } => run(program, args, &dial).await,
            Dial::Open { uri } => {
                let uri = uri.clone();
                tokio::task::spawn_blocking(move || {
                    open::that(&uri).map_err(|e| format!("could not open {uri}: {e}"))
                })
                .await
                .unwrap_or_else(|e| Err(format!("could not open the tel: link: {e}")))
            }
        };
        Some(Msg::Dialled { number, result })
    }))
}

/// Runs the dial command with no terminal, waiting (on this task, not the UI) for its end.
async fn run(program: &str, args: &[String], dial: &Dial) -> Result<(), String> {
    let mut command = tokio::process::Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    detach(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start \"{program}\" (dial_command): {e}"))?;
    let status = child
        .wait()
        .await
        .map_err(|e| format!("\"{}\" did not report how it ended: {e}", dial.describe()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("\"{}\" exited with {status}", dial.describe()))
    }
}

#[cfg(unix)]
fn detach(command: &mut tokio::process::Command) {
    // Its own process group: keys at the console's terminal signal the console alone.
    command.process_group(0);
}

#[cfg(windows)]
fn detach(command: &mut tokio::process::Command) {
    const CREATE_NEW_PROCESS_GROUP: u32 = 0x0000_0200;
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    command.creation_flags(CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW);
}

#[cfg(not(any(unix, windows)))]
fn detach(_: &mut tokio::process::Command) {}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    async fn dialled(dial: Dial) -> Result<(), String> {
        match start("+14155550148".into(), dial) {
            Work::Task(task) => match task.await {
                Some(Msg::Dialled { number, result }) => {
                    assert_eq!(number, "+14155550148");
                    result
                }
                other => panic!("{other:?}"),
            },
            _ => panic!("dialling is a task"),
        }
    }

    fn run(program: &str, args: &[&str]) -> Dial {
        Dial::Run {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[tokio::test]
    async fn a_command_that_runs_well_is_done_and_one_that_fails_says_how() {
        assert_eq!(dialled(run("true", &[])).await, Ok(()));
        let failed = dialled(run("false", &[])).await.unwrap_err();
        assert!(failed.contains("\"false\" exited with"), "{failed}");
        let missing = dialled(run("/nonexistent/dialler", &["+1"]))
            .await
            .unwrap_err();
        assert!(
            missing.contains("could not start \"/nonexistent/dialler\""),
            "{missing}"
        );
    }
}
