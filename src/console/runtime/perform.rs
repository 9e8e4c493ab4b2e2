//! Performing effects: what each `Effect` does and which message answers it. The event loop
//! and the tests' driver both call [`Performer::start`], so the tests run the app's own code.

use std::time::Duration;

use futures::future::BoxFuture;

use super::disk::Disk;
use crate::api::{Answer, ApiError, VoiceCall};
use crate::console::msg::{Effect, Msg};
use crate::console::runtime::Services;
use crate::domain::callback::{self, RecordError};
use crate::domain::calls::packed_record;
use crate::domain::save::Reading;
use crate::domain::{people_lookup, save};

/// How long a UI-state write waits for a newer one: tab switches and filter changes come in
/// bursts, and each would otherwise write the file. Whatever waits is written at exit.
pub const STATE_DELAY: Duration = Duration::from_secs(1);

/// What performing an effect leaves to do.
pub enum Work {
    /// Done on the spot (the terminal's effects): its answer, if any.
    Now(Option<Msg>),
    /// To run on its own task (network, disk): its answer, if any (none for a write a newer
    /// one replaced).
    Task(BoxFuture<'static, Option<Msg>>),
    /// `msg` is due `after` from now (a debounce or a poll). The event loop sleeps on a task;
    /// a test decides when time passes.
    Timer { after: Duration, msg: Msg },
}

/// The effects that need the terminal or the desktop. The event loop supplies the real
/// terminal ([`super::host::TerminalHost`]); a test supplies its own.
pub trait Host {
    /// `$VISUAL` / `$EDITOR` on `text`: the edited text, or why not.
    fn edit(&mut self, text: &str) -> Result<String, String>;
    /// Ctrl-z: hands the terminal to the shell until `fg`; the terminal's size after.
    fn suspend(&mut self) -> std::io::Result<(u16, u16)>;
    /// Rings the terminal's bell.
    fn bell(&mut self);
    /// Copies `text` to the clipboard.
    fn copy(&mut self, text: &str) -> Result<(), String>;
    /// Opens `url` in the browser (on a task: an opener may take its time).
    fn open_url(&mut self, url: String) -> Work;
    /// Starts a call to `number` (on a task: a dialler may run as long as the call).
    fn dial(&mut self, number: String, dial: crate::domain::dial::Dial) -> Work {
        super::dial::start(number, dial)
    }
    /// Shows a desktop notification through the terminal (OSC 9 or 777), where it can.
    fn notify(&mut self, title: &str, body: &str);
}

/// Performs effects with the API, the stores and the disk writer.
pub struct Performer {
    services: Services,
    disk: Disk,
    state_delay: Duration,
}

impl Performer {
    /// Starts the disk writer; call inside a tokio runtime.
    pub fn new(services: Services) -> Self {
        Self {
            services,
            disk: Disk::start(),
            state_delay: STATE_DELAY,
        }
    }

    /// The same, with UI-state writes waiting `delay` for newer ones (zero in tests, which
    /// await every answer in turn).
    pub fn with_state_delay(mut self, delay: Duration) -> Self {
        self.state_delay = delay;
        self
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Queues the list cache for the next start (written by the writer, like every file).
    pub fn save_cache(&self, list: crate::persist::cache::CachedList) {
        let store = self.services.cache.clone();
        let path = store.path().to_path_buf();
        drop(
            self.disk
                .write(path, Duration::ZERO, Box::new(move || store.save(&list))),
        );
    }

    /// Writes the names known to the data dir (`people.json`); the receiver says how it went.
    pub fn save_people(
        &self,
        people: crate::domain::people::People,
    ) -> tokio::sync::oneshot::Receiver<super::disk::Outcome> {
        let store = self.services.people.clone();
        let path = store.path().to_path_buf();
        self.disk
            .write(path, Duration::ZERO, Box::new(move || store.save(&people)))
    }

    /// Writes the values sent for the fields the API never sends back (`sent-values.json`);
    /// the receiver says how it went.
    pub fn save_remembered(
        &self,
        remembered: crate::domain::remembered::Remembered,
    ) -> tokio::sync::oneshot::Receiver<super::disk::Outcome> {
        let store = self.services.remembered.clone();
        let path = store.path().to_path_buf();
        self.disk.write(
            path,
            Duration::ZERO,
            Box::new(move || store.save(&remembered)),
        )
    }

    /// Returns once every write asked for so far is on disk: before the process exits.
    pub async fn flush(&self) {
        self.disk.flush().await;
    }

    /// Starts one effect; what is left to do (and the message that answers it) is returned.
    pub fn start(&self, effect: Effect, host: &mut dyn Host) -> Work {
        let client = self.services.client.clone();
        match effect {
            Effect::FetchPage { req, query } => task(async move {
                // Each call packed as its page is read: no `VoiceCall` per call in between.
                let answer = client.pacing().list_with(&query, packed_record).await;
                if let Some(slowed) = slowed(req, &answer.exchange, &answer.result, || {
                    Effect::FetchPage {
                        req,
                        query: query.clone(),
                    }
                }) {
                    return Some(slowed);
                }
                Some(Msg::PagePacked {
                    req,
                    page: query.page,
                    answer,
                })
            }),
            Effect::FetchCall { req, uid } => task(async move {
                let (answer, etag) = client.get_tagged(&uid).await;
                Some(Msg::CallFetched { req, answer, etag })
            }),
            Effect::CheckAndPut {
                req,
                uid,
                expected,
                body,
            } => task(async move {
                let pacing = client.pacing();
                let save::Checked { check, outcome } =
                    save::check_and_put::<VoiceCall>(&pacing, &uid, expected.as_deref(), &body)
                        .await;
                let again = || Effect::CheckAndPut {
                    req,
                    uid: uid.clone(),
                    expected: expected.clone(),
                    body: body.clone(),
                };
                if let Some(slowed) = slowed(req, &check.exchange, &check.result, again) {
                    return Some(slowed);
                }
                if let save::Outcome::Sent(put) = &outcome
                    && let Some(slowed) = slowed(req, &put.exchange, &put.result, again)
                {
                    return Some(slowed);
                }
                Some(Msg::CheckedAndPut {
                    req,
                    check,
                    outcome,
                })
            }),
            Effect::PutCall {
                req,
                uid,
                body,
                expected,
                etag,
            } => task(async move {
                let answer =
                    save::put_tagged(&client, &uid, &body, expected.as_deref(), etag.as_deref())
                        .await;
                Some(Msg::Saved { req, answer })
            }),
            Effect::FetchStats { req, query } => task(async move {
                let answer = client.stats(&query).await;
                Some(Msg::StatsLoaded { req, answer })
            }),
            Effect::FetchTranscript { req, uid } => task(async move {
                let answer = client.transcript(&uid).await;
                Some(Msg::TranscriptLoaded { req, uid, answer })
            }),
            Effect::ScheduleDraft { generation, delay } => Work::Timer {
                after: delay,
                msg: Msg::DraftDue { generation },
            },
            Effect::ScheduleTranscript { uid, delay } => Work::Timer {
                after: delay,
                msg: Msg::TranscriptDue { uid },
            },
            Effect::WriteDraft(draft) => {
                let store = self.services.drafts.clone();
                let path = store.path_for(&draft.uid);
                let uid = draft.uid.clone();
                let done =
                    self.disk
                        .write(path, Duration::ZERO, Box::new(move || store.save(&draft)));
                task(async move {
                    let error = done.await.ok()?.err();
                    Some(Msg::DraftWritten { uid, error })
                })
            }
            Effect::DeleteDraft { uid } => {
                let store = self.services.drafts.clone();
                let path = store.path_for(&uid);
                // Through the writer like the writes, so a delete never overtakes (or is
                // overtaken by) a write of the same draft.
                let done =
                    self.disk
                        .write(path, Duration::ZERO, Box::new(move || store.delete(&uid)));
                task(async move {
                    drop(done.await);
                    None
                })
            }
            Effect::SaveState(state) => {
                let store = self.services.state.clone();
                let path = store.path().to_path_buf();
                let done = self.disk.write(
                    path.clone(),
                    self.state_delay,
                    Box::new(move || store.save(&state)),
                );
                task(async move {
                    let e = done.await.ok()?.err()?;
                    Some(Msg::ExternalDone {
                        done: String::new(),
                        result: Err(format!("filters not saved to {}: {e}", path.display())),
                    })
                })
            }
            Effect::FetchClient { req, lookup } => task(async move {
                let answer = people_lookup::client_card(&client.pacing(), &lookup).await;
                if let Some(slowed) = slowed(req, &answer.exchange, &answer.result, || {
                    Effect::FetchClient {
                        req,
                        lookup: lookup.clone(),
                    }
                }) {
                    return Some(slowed);
                }
                Some(Msg::ClientLoaded {
                    req,
                    lookup,
                    answer,
                })
            }),
            Effect::FindClientsByPhone { req, number } => task(async move {
                let answer = people_lookup::clients_by_phone(&client, &number).await;
                Some(Msg::ClientsFound {
                    req,
                    number,
                    answer,
                })
            }),
            Effect::FetchRoster { req, business_uid } => task(async move {
                let answer = people_lookup::roster(&client, &business_uid).await;
                Some(Msg::RosterLoaded { req, answer })
            }),
            Effect::FetchMe { req } => task(async move {
                let answer = people_lookup::me(&client).await;
                Some(Msg::MeLoaded { req, answer })
            }),
            Effect::FetchBusiness { req, business_uid } => task(async move {
                let answer = people_lookup::business(&client, &business_uid).await;
                Some(Msg::BusinessLoaded { req, answer })
            }),
            Effect::SavePeople(people) => {
                let path = self.services.people.path().to_path_buf();
                let done = self.save_people(*people);
                task(async move {
                    let e = done.await.ok()?.err()?;
                    Some(Msg::ExternalDone {
                        done: String::new(),
                        result: Err(format!("names not kept in {}: {e}", path.display())),
                    })
                })
            }
            Effect::SaveRemembered(remembered) => {
                let path = self.services.remembered.path().to_path_buf();
                let done = self.save_remembered(remembered);
                task(async move {
                    let e = done.await.ok()?.err()?;
                    Some(Msg::ExternalDone {
                        done: String::new(),
                        result: Err(format!(
                            "rate, price and recording id sent not kept in {}: {e}; they will be asked for again",
                            path.display()
                        )),
                    })
                })
            }
            Effect::OpenEditor { text } => Work::Now(Some(Msg::EditorDone {
                result: host.edit(&text),
            })),
            Effect::Suspend => match host.suspend() {
                Ok((_, height)) => Work::Now(Some(Msg::Resize {
                    list_rows: crate::ui::layout::list_rows(height),
                })),
                Err(e) => Work::Now(Some(Msg::ExternalDone {
                    done: String::new(),
                    result: Err(format!("could not suspend: {e}")),
                })),
            },
            Effect::Bell => {
                host.bell();
                Work::Now(None)
            }
            Effect::Notify { title, body } => {
                host.notify(&title, &body);
                Work::Now(None)
            }
            Effect::MarkPlayed { req, recording } => task(async move {
                let answer = client.recording_played(&recording, true).await;
                Some(Msg::PlayedMarked { req, answer })
            }),
            Effect::Copy { text } => {
                let result = host.copy(&text);
                Work::Now(Some(Msg::ExternalDone {
                    done: format!("copied {text} (OSC 52)"),
                    result,
                }))
            }
            Effect::OpenUrl { url } => host.open_url(url),
            Effect::Dial { number, dial } => host.dial(number, dial),
            // Sent once: a lost answer may still have created it (the same external_uuid
            // goes again when the user sends it again).
            Effect::Retry { req, after, effect } => Work::Timer {
                after,
                msg: Msg::RetryDue { req, effect },
            },
            Effect::CreateCall { req, body } => task(async move {
                // Once, and read back when the answer was lost: never a second record.
                let (exchange, found) = callback::post_or_find(&client, &body).await;
                let status = exchange.status.unwrap_or(200);
                let result = found
                    .map_err(|e| match e {
                        RecordError::Refused(e) | RecordError::NotRecorded(e) => e,
                        other => ApiError::Network(other.to_string()),
                    })
                    .and_then(|json| <VoiceCall as Reading>::read(status, json));
                let answer = Answer { exchange, result };
                Some(Msg::CallCreated { req, answer })
            }),
        }
    }
}

/// A batch's request the server asked to slow down (`ApiError::SlowDown`): `Msg::SlowDown`,
/// with the effect to perform again once the console has lowered its pace.
fn slowed<T>(
    req: crate::console::msg::RequestId,
    exchange: &crate::api::Exchange,
    result: &Result<T, ApiError>,
    again: impl FnOnce() -> Effect,
) -> Option<Msg> {
    match result {
        Err(error @ ApiError::SlowDown { .. }) => Some(Msg::SlowDown {
            req,
            exchange: exchange.clone(),
            error: error.clone(),
            retry: Box::new(again()),
        }),
        _ => None,
    }
}

fn task(fut: impl Future<Output = Option<Msg>> + Send + 'static) -> Work {
    Work::Task(Box::pin(fut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{ApiClient, ClientOptions};
    use crate::domain::views::TabId;
    use crate::persist::state::{StateStore, UiState};

    fn performer(dir: &std::path::Path) -> Performer {
        let url = url::Url::parse("http://127.0.0.1:9").unwrap();
        let client = ApiClient::new(ClientOptions::new(
            url,
            crate::config::secret::Secret::new("t"),
        ));
        Performer::new(Services {
            client: client.unwrap(),
            drafts: crate::persist::drafts::DraftStore::new(dir.join("drafts")),
            state: StateStore::new(dir.join("state.json")),
            cache: crate::persist::cache::CacheStore::new(dir.join("cache.json")),
            remembered: crate::persist::remembered::RememberedStore::new(dir.join("sent.json")),
            people: crate::persist::people::PeopleStore::new(dir.join("people.json")),
        })
    }

    struct NoTerminal;

    impl Host for NoTerminal {
        fn edit(&mut self, _: &str) -> Result<String, String> {
            unreachable!()
        }
        fn suspend(&mut self) -> std::io::Result<(u16, u16)> {
            unreachable!()
        }
        fn bell(&mut self) {}
        fn copy(&mut self, _: &str) -> Result<(), String> {
            unreachable!()
        }
        fn open_url(&mut self, _: String) -> Work {
            unreachable!()
        }
        fn notify(&mut self, _: &str, _: &str) {}
    }

    fn state(active: TabId) -> Effect {
        Effect::SaveState(UiState {
            active: Some(active),
            ..UiState::default()
        })
    }

    #[tokio::test]
    async fn tab_switches_are_one_state_write_made_later_and_flushed_at_exit() {
        let dir = tempfile::tempdir().unwrap();
        let performer = performer(dir.path());
        let path = dir.path().join("state.json");
        let tasks: Vec<_> = [TabId::All, TabId::Missed, TabId::Handled]
            .into_iter()
            .map(|tab| match performer.start(state(tab), &mut NoTerminal) {
                Work::Task(task) => tokio::spawn(task),
                _ => panic!("a state write is a task"),
            })
            .collect();
        tokio::task::yield_now().await;
        assert!(!path.exists(), "not written on the UI's turn");
        performer.flush().await;
        let saved = performer.services().state.load();
        assert_eq!(saved.0.active, Some(TabId::Handled), "the newest wins");
        for task in tasks {
            assert!(task.await.unwrap().is_none(), "no error to report");
        }
    }
}
