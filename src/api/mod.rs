//! The vcita voice-call API as typed calls: the model, the errors, and one reused HTTP client;
//! also the legacy endpoints for the people behind a call's uids (`people.rs`).

mod body;
pub mod client;
pub mod decode;
pub mod error;
pub mod model;
pub mod people;
mod raw;
pub mod recordings;
mod request;
pub mod retry;

pub use client::{Answer, ApiClient, ClientOptions, Exchange, ListQuery, StatsQuery};
pub use error::ApiError;
pub use model::{
    Business, CallFields, CallPage, CallRecord, CallSource, Client, Count, CreateVoiceCall,
    Direction, Recording, Staff, Stats, Status, Text, Transcript, UpdateVoiceCall, UserInfo,
    VoiceCall,
};
pub use raw::{Put, http_date};

/// Path of the calls collection; every other endpoint hangs off it.
pub const CALLS_PATH: &str = "/v3/communication/voice_calls";
