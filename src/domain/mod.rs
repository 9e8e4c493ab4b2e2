//! The rules about calls that hold whatever asks: the console, the scripts and the runtime
//! all call them, and they call only the API client and the field table.

pub mod save;
