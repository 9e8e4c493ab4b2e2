//! How a call-back is started: the `dial_command` setting (a program and its arguments,
//! split as a shell would, `{number}` replaced by the E.164 number), or, with none set, a
//! `tel:` link handed to the desktop's opener. Deciding what to run is here, with no I/O; the
//! runtime starts it (`console::runtime::dial`) and, when it cannot, the number is copied.

/// What starting a call-back runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dial {
    /// `dial_command`, split and with the number in place.
    Run { program: String, args: Vec<String> },
    /// No `dial_command`: this URI (`tel:+14155550148`) goes to the platform's opener.
    Open { uri: String },
}

/// What `{number}` stands for in `dial_command`.
pub const NUMBER: &str = "{number}";

/// Splits a command line as a POSIX shell would (quotes group words, nothing is expanded).
/// Outside unix, paths hold backslashes that a POSIX split would read as escapes: they are
/// kept literal. `$EDITOR` and `dial_command` are both read with it.
pub fn words(line: &str) -> Result<Vec<String>, String> {
    let line = if cfg!(unix) {
        line.to_string()
    } else {
        line.replace('\\', "\\\\")
    };
    shell_words::split(&line).map_err(|e| e.to_string())
}

/// The setting's rule: it splits into at least a program (checked when the settings are read,
/// so a broken one is reported before the terminal is taken over).
pub fn check_command(command: &str) -> Result<String, String> {
    match words(command) {
        Ok(w) if w.is_empty() => Err(
            "dial_command is empty; write a program and its arguments, like \"open tel:{number}\", or remove the line to use the desktop's tel: handler"
                .to_string(),
        ),
        Ok(_) => Ok(command.to_string()),
        Err(e) => Err(format!(
            "cannot read dial_command {} ({e}); check its quotes",
            crate::domain::sanitize::quoted(command)
        )),
    }
}

/// What dialling `number` runs: `command` split into words with every `{number}` replaced
/// (the number is added as the last argument when the command does not name it), else the
/// `tel:` URI for the opener.
pub fn dial_for(command: Option<&str>, number: &str) -> Result<Dial, String> {
    let Some(command) = command.filter(|c| !c.trim().is_empty()) else {
        return Ok(Dial::Open {
            uri: format!("tel:{number}"),
        });
    };
    // Split first, then substitute: whatever the number holds, it stays one word.
    let split = words(command).map_err(|e| {
        format!(
            "cannot read dial_command {} ({e}); check its quotes",
            crate::domain::sanitize::quoted(command)
        )
    })?;
    let named = split.iter().any(|w| w.contains(NUMBER));
    let mut words = split.into_iter().map(|w| w.replace(NUMBER, number));
    let program = words
        .next()
        .ok_or_else(|| "dial_command is empty; set a program to dial with".to_string())?;
    let mut args: Vec<String> = words.collect();
    if !named {
        args.push(number.to_string());
    }
    Ok(Dial::Run { program, args })
}

impl Dial {
    /// As the status bar and messages name it: `open tel:+1…`.
    pub fn describe(&self) -> String {
        match self {
            Dial::Run { program, args } => std::iter::once(program.as_str())
                .chain(args.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
            Dial::Open { uri } => format!("the desktop's handler for {uri}"),
        }
    }
}

/// How starting a call ended, and what follows: a dialler that could not start or exited
/// with a failure leaves the number on the clipboard instead, and says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterDial {
    /// It started (and, if it ended, ended well): nothing more to do.
    Done,
    /// Copy the number instead; the text says why dialling did not work.
    CopyInstead { why: String },
}

/// The fallback decision for a dial that ended with `result`.
pub fn after_dial(result: &Result<(), String>) -> AfterDial {
    match result {
        Ok(()) => AfterDial::Done,
        Err(why) => AfterDial::CopyInstead { why: why.clone() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(program: &str, args: &[&str]) -> Dial {
        Dial::Run {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn the_number_is_put_in_place_of_every_placeholder_after_splitting() {
        let n = "+14155550148";
        let cases: &[(Option<&str>, Dial)] = &[
            (
                None,
                Dial::Open {
                    uri: "tel:+14155550148".into(),
                },
            ),
            (
                Some("   "),
                Dial::Open {
                    uri: "tel:+14155550148".into(),
                },
            ),
            (
                Some("open tel:{number}"),
                run("open", &["tel:+14155550148"]),
            ),
            (
                Some("xdg-open sip:{number}@pbx.example.com"),
                run("xdg-open", &["sip:+14155550148@pbx.example.com"]),
            ),
            (
                Some("softphone --call '{number}' --note \"from the console\""),
                run(
                    "softphone",
                    &["--call", "+14155550148", "--note", "from the console"],
                ),
            ),
            // A program that does not name the number gets it last.
            (Some("linphonecsh dial"), run("linphonecsh", &["dial", n])),
            (Some("true"), run("true", &[n])),
        ];
        for (command, want) in cases {
            assert_eq!(dial_for(*command, n).as_ref(), Ok(want), "{command:?}");
        }
        #[cfg(unix)]
        assert_eq!(
            dial_for(Some("\"/opt/my phone/bin/dial\" {number}"), n),
            Ok(run("/opt/my phone/bin/dial", &[n]))
        );
        #[cfg(not(unix))]
        assert_eq!(
            dial_for(Some("\"C:\\Program Files\\Phone\\dial.exe\" {number}"), n),
            Ok(run("C:\\Program Files\\Phone\\dial.exe", &[n]))
        );
    }

    #[test]
    fn a_number_with_shell_characters_stays_one_word() {
        let odd = "+1 415; rm -rf ~";
        assert_eq!(
            dial_for(Some("dial {number}"), odd),
            Ok(run("dial", &[odd]))
        );
    }

    #[test]
    fn broken_commands_say_what_is_wrong() {
        let bad = dial_for(Some("open \"tel:{number}"), "+1").unwrap_err();
        assert!(
            bad.contains("dial_command") && bad.contains("quotes"),
            "{bad}"
        );
        assert!(check_command("open \"tel").unwrap_err().contains("quotes"));
        assert!(check_command("  ").unwrap_err().contains("empty"));
        assert_eq!(
            check_command("open tel:{number}"),
            Ok("open tel:{number}".into())
        );
    }

    #[test]
    fn a_dial_that_failed_copies_the_number_instead() {
        assert_eq!(after_dial(&Ok(())), AfterDial::Done);
        assert_eq!(
            after_dial(&Err("\"softphone\" exited with status 1".into())),
            AfterDial::CopyInstead {
                why: "\"softphone\" exited with status 1".into()
            }
        );
    }
}
