//! A wrapper for the API token that never prints itself: `Debug` shows only that a secret is
//! there (and at most its last 4 characters, for telling tokens apart), and there is
//! deliberately no `Display`, so `format!("{}")` cannot put it in a message by accident.

/// The API token. Read it with [`Secret::expose`] only where it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The real value, for the Authorization header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `…abcd`: enough to tell which token is in use, not enough to use it.
    pub fn hint(&self) -> String {
        let n = self.0.chars().count();
        if n <= 8 {
            "…".to_string()
        } else {
            let tail: String = self.0.chars().skip(n - 4).collect();
            format!("…{tail}")
        }
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.hint())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_token() {
        let s = Secret::new("super-secret-token-1234");
        assert_eq!(format!("{s:?}"), "Secret(…1234)");
        assert_eq!(Secret::new("short").hint(), "…");
    }
}
