//! The vcita voice-call API as typed calls: the model, the errors, and one reused HTTP client.

mod body;
pub mod client;
pub mod decode;
pub mod error;
pub mod model;
mod raw;
mod request;
pub mod retry;

pub use client::{Answer, ApiClient, ClientOptions, Exchange, ListQuery, StatsQuery};
pub use error::ApiError;
pub use model::{
    CallPage, Count, Direction, Recording, Stats, Status, Transcript, UpdateVoiceCall, VoiceCall,
};
pub use raw::{Put, http_date};

/// Path of the calls collection; every other endpoint hangs off it.
pub const CALLS_PATH: &str = "/v3/communication/voice_calls";
