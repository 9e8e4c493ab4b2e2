//! The sanitiser: one table row per sequence kind, and properties over arbitrary text.

use std::borrow::Cow;

use proptest::prelude::*;

use super::*;

#[test]
fn removes_each_sequence_kind_whole() {
    let cases = [
        ("plain", "plain"),
        // 7-bit forms.
        ("a\u{1b}[31mred\u{1b}[0m", "ared"),
        ("csi\u{1b}[?1049h\u{1b}[2J\u{1b}[1;1Hx", "csix"),
        ("t\u{1b}]0;evil title\u{7}x", "tx"),
        ("clip\u{1b}]52;c;cm0gLXJmIH4=\u{7}board", "clipboard"),
        ("clip\u{1b}]52;c;cm0gLXJmIH4=\u{1b}\\board", "clipboard"),
        ("t\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "tlink"),
        ("dcs\u{1b}Pq#0;2;0;0;0\u{1b}\\end", "dcsend"),
        ("apc\u{1b}_Gf=100;AAAA\u{1b}\\end", "apcend"),
        ("pm\u{1b}^private\u{1b}\\end", "pmend"),
        ("sos\u{1b}Xstring\u{1b}\\end", "sosend"),
        ("two\u{1b}7char\u{1b}c", "twochar"),
        ("set\u{1b}(0charset\u{1b}(B", "setcharset"),
        // C1 forms, ended by C1 ST, 7-bit ST or BEL.
        ("c1\u{9b}2Jcsi", "c1csi"),
        ("osc\u{9d}52;c;ZXZpbA==\u{9c}end", "oscend"),
        ("osc\u{9d}0;title\u{7}end", "oscend"),
        ("osc\u{9d}8;;http://x\u{1b}\\end", "oscend"),
        ("dcs\u{90}q#0\u{9c}end", "dcsend"),
        ("apc\u{9f}payload\u{9c}end", "apcend"),
        ("pm\u{9e}payload\u{9c}end", "pmend"),
        ("sos\u{98}payload\u{9c}end", "sosend"),
        // A string cut short by another sequence: both go, nothing of either is left.
        ("a\u{1b}]0;x\u{1b}[31mb", "ab"),
        ("a\u{1b}[31\u{1b}]52;c;ZQ==\u{7}b", "ab"),
        // Unterminated strings swallow the rest rather than show half a payload.
        ("open\u{1b}]52;c;ZXZpbA==", "open"),
        ("esc at end\u{1b}", "esc at end"),
        // Single controls.
        ("bell\u{7}del\u{7f}nul\u{0}", "belldelnul"),
        ("c1\u{85}nel\u{80}\u{9f}", "c1nel"),
        ("bi\u{202e}di\u{2066}x\u{2069}", "bidix"),
        (
            "m\u{200e}a\u{200f}r\u{61c}k\u{202a}s\u{202b}\u{202c}\u{202d}\u{2067}\u{2068}",
            "marks",
        ),
        ("tab\there", "tab here"),
        ("cr\r\nlf", "cr\nlf"),
        // Printable text is left alone.
        ("café 東京 🎉 👩‍👩‍👧 ﷺ שלום", "café 東京 🎉 👩‍👩‍👧 ﷺ שלום"),
    ];
    for (input, want) in cases {
        assert_eq!(clean(input), want, "input {input:?}");
    }
}

#[test]
fn clean_input_is_borrowed() {
    assert!(matches!(clean("hello\nworld"), Cow::Borrowed(_)));
    assert_eq!(single_line("a\nb"), "a b");
}

/// The quick check for clean text sees a byte that is not printable ASCII wherever it sits,
/// in whichever block of bytes it is checked.
#[test]
fn the_printable_ascii_check_finds_any_other_byte_anywhere() {
    let by_byte = |t: &[u8]| t.iter().all(|b| (0x20..0x7f).contains(b) || *b == b'\n');
    for len in [0, 1, 31, 32, 33, 64, 100] {
        let plain = vec![b'a'; len];
        assert!(printable_ascii(&plain), "{len}");
        for at in 0..len {
            for odd in [
                0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xc2, 0xff,
            ] {
                let mut text = plain.clone();
                text[at] = odd;
                assert_eq!(
                    printable_ascii(&text),
                    by_byte(&text),
                    "{len} {at} {odd:#x}"
                );
            }
        }
    }
}

#[test]
fn deep_nesting_does_not_exhaust_the_stack() {
    let hostile = "\u{1b}]\u{1b}P".repeat(200_000);
    assert_eq!(clean(&hostile), "");
}

/// Text mixing printable characters with every kind of control and sequence start.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-zé東🎉 ;:/=\\\\\\[\\]]{0,6}",
        prop::sample::select(vec![
            "\u{1b}", "\u{1b}[", "\u{1b}]", "\u{1b}P", "\u{1b}_", "\u{1b}^", "\u{1b}X", "\u{1b}\\",
            "\u{1b}(", "\u{7}", "\u{9b}", "\u{9c}", "\u{9d}", "\u{90}", "\u{98}", "\u{9e}",
            "\u{9f}", "\u{202e}", "\u{2066}", "\u{61c}", "\r", "\n", "\t", "\u{7f}",
        ])
        .prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #[test]
    fn output_is_safe_and_cleaning_twice_changes_nothing(input in hostile_text()) {
        let once = clean(&input).into_owned();
        prop_assert!(!once.chars().any(is_unsafe), "{once:?}");
        prop_assert_eq!(clean(&once), once.as_str());
        let line = single_line(&once);
        prop_assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }

    #[test]
    fn printable_text_is_unchanged(input in "\\PC*") {
        // `\PC` is every character outside Unicode's "other" categories; bidi marks are in
        // "other" (Cf), so this is exactly the text that must come through untouched.
        prop_assert_eq!(clean(&input), input.as_str());
    }
}

#[test]
fn quoted_values_are_cut_and_show_their_controls() {
    assert_eq!(quoted("MISSED"), "\"MISSED\"");
    assert_eq!(quoted(""), "\"\"");
    let exact = "a".repeat(QUOTED_CHARS);
    assert_eq!(quoted(&exact), format!("\"{exact}\""));
    let long = "é".repeat(50_000);
    let q = quoted(&long);
    assert_eq!(
        q,
        format!("\"{}…\" (100000 bytes)", "é".repeat(QUOTED_CHARS))
    );
    assert_eq!(quoted("a\u{1b}[2Jb\nc"), "\"a\\u{1b}[2Jb\\nc\"");
    assert_eq!(cut("short", 5), "short");
    assert_eq!(cut("ééé", 2), "éé… (6 bytes)");
}
