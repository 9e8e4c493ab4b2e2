//! The base URL policy: the token travels in a header, so it only goes over https, or over
//! plain http to this machine where nothing crosses a network.

use url::Url;

use super::DEFAULT_BASE_URL;

/// `https://` anywhere; `http://` only for this machine, where nothing crosses a network.
pub fn check_base_url(raw: &str) -> Result<Url, String> {
    // Messages quote the URL as given, minus any `user:password@`, which is a credential.
    let text = &*crate::domain::sanitize::quoted(&without_userinfo(raw));
    let url = Url::parse(raw.trim())
        .map_err(|e| format!("base_url {text} is not a URL ({e}); use e.g. {DEFAULT_BASE_URL}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "base_url {text} holds a user name or password; remove it: the token is configured with token, token_command or CALLCONSOLE_TOKEN"
        ));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(format!(
            "base_url {text} uses http:// for a host that is not this machine; use https:// so the token is not sent in clear"
        )),
        other => Err(format!(
            "base_url {text} has scheme {}; use https://",
            crate::domain::sanitize::quoted(other)
        )),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// `https://user:pw@host/x` → `https://…@host/x`.
fn without_userinfo(text: &str) -> std::borrow::Cow<'_, str> {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.into();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://…{}", &rest[at..]).into(),
        None => text.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_the_url_are_refused_and_never_echoed() {
        for raw in [
            "https://me:hunter2secret@api.example.com/",
            "http://me:hunter2secret@example.com/",
            "https://hunter2secret@api.example.com/x",
            "ftp://me:hunter2secret@[bad/",
        ] {
            let err = check_base_url(raw).expect_err(raw);
            assert!(!err.contains("hunter2secret"), "{err}");
        }
        assert!(check_base_url("https://api.example.com/a@b").is_ok());
        assert_eq!(without_userinfo("https://u:p@h/x?y@z"), "https://…@h/x?y@z");
    }
}
