//! What a fault does to an answer: an error envelope or a proxy's HTML page in place of it,
//! or the handler's answer rewritten — dripped, cut off, replaced by a huge one, gzipped with
//! or without saying so, or a stats report whose counts lie.

use std::io::Write as _;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// Just over the client's 8 MiB cap.
const HUGE_BYTES: usize = 9 * 1024 * 1024;
const HUGE_CHUNK: usize = 64 * 1024;

/// The error body a real server would send on that path: the legacy people endpoints' own
/// shape there (`{"error":"Unauthorized"}` for a 401), the voice-call envelope elsewhere.
pub(super) fn envelope(code: u16, path: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    if super::super::legacy::is_legacy(path) {
        let message = match code {
            429 => "Rate limit exceeded for this business (injected fault)".to_string(),
            _ => format!("injected fault: HTTP {code}"),
        };
        return super::super::legacy::LegacyError::new(status, message).into_response();
    }
    let body = serde_json::json!({
        "success": false,
        "errors": [{"code": "injected_fault", "message": format!("injected fault: HTTP {code}")}],
    });
    (status, axum::Json(body)).into_response()
}

pub(super) fn html_page(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    let page = format!(
        "<html>\n<head><title>{code} Bad Gateway</title></head>\n<body>\n<center><h1>{code} Bad \
         Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

async fn body_of(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

pub(super) async fn drip(response: Response, gap: Duration) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    parts.headers.remove(header::CONTENT_LENGTH);
    let stream = futures::stream::unfold(0usize, move |i| {
        let bytes = bytes.clone();
        async move {
            if i >= bytes.len() {
                return None;
            }
            tokio::time::sleep(gap).await;
            Some((
                Ok::<_, std::convert::Infallible>(bytes.slice(i..i + 1)),
                i + 1,
            ))
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

pub(super) async fn truncate(response: Response) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    let cut = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(cut.len()));
    Response::from_parts(parts, Body::from(cut))
}

pub(super) fn huge(length: bool) -> Response {
    // A valid envelope start, then padding, so only the size is wrong.
    let head = Bytes::from_static(br#"{"success":true,"data":{"voice_calls":[],"pad":""#);
    let chunks = HUGE_BYTES / HUGE_CHUNK + 1;
    let pad = Bytes::from(vec![b'x'; HUGE_CHUNK]);
    let total = head.len() + chunks * HUGE_CHUNK;
    let stream = futures::stream::iter(
        std::iter::once(head)
            .chain(std::iter::repeat_n(pad, chunks))
            .map(Ok::<_, std::convert::Infallible>),
    );
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    }
    response
}

/// The body gzipped, labelled `Content-Encoding: label`, or not labelled at all (`None`):
/// a compressed answer the client never asked for, or one it cannot tell is compressed.
pub(super) async fn gzip(response: Response, label: Option<&str>) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let packed = match encoder.write_all(&bytes).and_then(|()| encoder.finish()) {
        Ok(packed) => packed,
        Err(_) => return Response::from_parts(parts, Body::from(bytes)),
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(packed.len()));
    match label.map(HeaderValue::from_str) {
        Some(Ok(value)) => {
            parts.headers.insert(header::CONTENT_ENCODING, value);
        }
        _ => {
            parts.headers.remove(header::CONTENT_ENCODING);
        }
    }
    Response::from_parts(parts, Body::from(packed))
}

/// A stats report whose first status count and total say `count` (`-3`, `1e20`, `"many"`):
/// the lies a client must show as such. Other answers pass through.
pub(super) async fn lying_stats(response: Response, count: &Value) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    let Ok(mut report) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let Some(data) = report
        .get_mut("data")
        .filter(|d| d.get("status_counts").is_some())
    else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Some(first) = data
        .get_mut("status_counts")
        .and_then(Value::as_array_mut)
        .and_then(|rows| rows.first_mut())
    {
        first["count"] = count.clone();
    }
    data["total_voice_calls"] = count.clone();
    let body = report.to_string();
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}
