//! The packed haystacks: every searched field of every call in one arena, each with the set
//! of characters it holds, so the scan reads memory front to back and skips fields cheaply.
//! The people behind a call (its client's name and uid, its handler) are packed once per
//! person, not per call: each call holds their keys (see [`Keyed`]).

use std::collections::HashMap;

use nucleo_matcher::Utf32Str;
use nucleo_matcher::chars::{normalize, to_lower_case};

use super::{SearchField, Source, fold_final_sigma};
use crate::api::CallFields;
use crate::domain::calls::{CallId, CallStore, PackedCall};
use crate::domain::people::{NameChange, People};

/// Every searched field of every call, packed back to back in nucleo's form. Matching the
/// calls' own strings meant a cache miss per field (700 000 scattered heap strings for 100 000
/// calls) and cost more than the matching itself; one sequential arena is several times
/// faster, for about the size of the text (the bench measures 43 MB in all per 100 000 calls,
/// the demo's names included).
#[derive(Debug, Clone, Default)]
pub(super) struct Haystacks {
    arena: Arena,
    /// `CALL_FIELDS` spans per call, in [`SearchField::ALL`] order.
    spans: Vec<Span>,
    /// Per call: its client's key in `clients` and its handler's in `staff` ([`NO_KEY`] for
    /// none).
    keys: Vec<[u32; 2]>,
    pub(super) clients: Keyed,
    pub(super) staff: Keyed,
}

/// The packed text itself.
#[derive(Debug, Clone, Default)]
pub(super) struct Arena {
    /// ASCII texts, nearly all of them.
    ascii: Vec<u8>,
    /// The others, as nucleo segments them (first char of each grapheme).
    wide: Vec<char>,
    /// Scratch for segmenting a non-ASCII text.
    chars: Vec<char>,
}

/// The people of one kind (clients, or staff) the calls name, each packed once under a small
/// key: a name that arrives is packed once, however many calls it is on, and a keystroke
/// scores each person once (see [`Keyed::scores`]), not once per call.
#[derive(Debug, Clone, Default)]
pub(super) struct Keyed {
    by_id: HashMap<Box<str>, u32>,
    /// Per key: the name as the list shows it, and the id.
    spans: Vec<[Span; 2]>,
    /// Per key: what each of its two texts scores for the current pattern. Shorter than
    /// `spans` while new keys wait to be scored.
    pub(super) scores: Vec<[Option<u32>; 2]>,
}

/// A call with no client or no handler.
pub(super) const NO_KEY: u32 = u32::MAX;

/// The fields packed per call.
const CALL_FIELDS: usize = {
    let mut n = 0;
    let mut k = 0;
    while k < SearchField::ALL.len() {
        if let Source::Call(_) = SearchField::ALL[k].source() {
            n += 1;
        }
        k += 1;
    }
    n
};

/// Where one field's text lives; an absent field is an empty span, which nothing matches.
/// 20 bytes (packed to 4: the scan reads one for every field of every call on every
/// keystroke, six a call).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, packed(4))]
pub(super) struct Span {
    start: u32,
    /// The top bit says the text is in `wide`.
    len: u32,
    /// The characters the text holds: a field lacking one the needle needs is not scored.
    pub(super) chars: CharSet,
    /// The ASCII letters and digits that start a word (first, or after whitespace).
    pub(super) word_starts: WordSet,
}

const WIDE: u32 = 1 << 31;

impl Span {
    /// Whether the text is ASCII (else `word_starts` says nothing).
    pub(super) fn is_ascii(self) -> bool {
        self.len & WIDE == 0
    }
}

/// A set of characters, folded so that whenever nucleo could match a needle char against a
/// text char, the needle char's bit is in the text's set: one bit per ASCII letter (either
/// case) or digit, the other ASCII characters sharing 27 bits, one bit for all of non-ASCII.
/// A needle char in a text's set may still not be there; one outside it certainly is not.
pub(super) type CharSet = u64;

const NON_ASCII: CharSet = 1 << 63;

/// The letters and digits that start a word: one bit per letter (either case), digits two
/// to a bit. Exact for letters only.
pub(super) type WordSet = u32;

/// The bit of each ASCII letter or digit in a [`WordSet`] (none for other chars).
pub(super) const WORD_BITS: [WordSet; 128] = {
    let mut bits = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = (b as u8).to_ascii_lowercase();
        bits[b] = if c.is_ascii_lowercase() {
            1 << (c - b'a')
        } else if c.is_ascii_digit() {
            1 << (26 + (c - b'0') / 2)
        } else {
            0
        };
        b += 1;
    }
    bits
};

/// The bit of each ASCII char.
pub(super) const ASCII_BITS: [CharSet; 128] = {
    let mut bits = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = (b as u8).to_ascii_lowercase();
        bits[b] = if c.is_ascii_lowercase() {
            1 << (c - b'a')
        } else if c.is_ascii_digit() {
            1 << (26 + c - b'0')
        } else {
            1 << (36 + c % 27)
        };
        b += 1;
    }
    bits
};

pub(super) fn char_bit(c: char) -> CharSet {
    if c.is_ascii() {
        ASCII_BITS[c as usize]
    } else {
        NON_ASCII
    }
}

pub(super) fn ascii_chars(text: &[u8]) -> CharSet {
    text.iter()
        .fold(0, |set, &b| set | ASCII_BITS[usize::from(b & 0x7f)])
}

/// Nucleo compares a needle char with a text char as is, lower-cased, normalised (`é` → `e`)
/// or both, depending on the needle: every form goes in.
fn wide_chars(text: &[char]) -> CharSet {
    text.iter().fold(0, |set, &c| {
        let plain = normalize(c);
        set | char_bit(c)
            | char_bit(to_lower_case(c))
            | char_bit(plain)
            | char_bit(to_lower_case(plain))
    })
}

/// The letters and digits that start a word of `text`, where nucleo gives its biggest bonus:
/// first in the text, or after whitespace.
pub(super) fn word_starts(text: &[u8]) -> WordSet {
    let mut set = 0;
    let mut after_space = true;
    for &b in text {
        if after_space && b.is_ascii_alphanumeric() {
            set |= WORD_BITS[usize::from(b & 0x7f)];
        }
        after_space = b.is_ascii_whitespace();
    }
    set
}
impl Haystacks {
    pub(super) fn clear(&mut self) {
        self.arena.ascii.clear();
        self.arena.wide.clear();
        self.spans.clear();
        self.keys.clear();
        self.clients = Keyed::default();
        self.staff = Keyed::default();
    }

    /// Slots packed so far.
    fn slots(&self) -> usize {
        self.keys.len()
    }

    /// Packs the store's slots after the ones already packed (a freed slot packs as empty).
    pub(super) fn extend(&mut self, store: &CallStore, people: &People) {
        let from = self.slots();
        let more = store.slot_count().saturating_sub(from);
        self.spans.reserve(more * CALL_FIELDS);
        self.keys.reserve(more);
        for slot in from..store.slot_count() {
            let call = store.get(slot_id(slot));
            for field in SearchField::ALL {
                if let Source::Call(_) = field.source() {
                    let span = self
                        .arena
                        .pack(call.and_then(|c| field.text(c, people)).unwrap_or(""));
                    self.spans.push(span);
                }
            }
            let keys = self.keys_of(call, people);
            self.keys.push(keys);
        }
    }

    /// Repacks one slot in place; its old text stays behind as garbage until the next full
    /// pack, a few hundred bytes per edited call.
    pub(super) fn repack(&mut self, slot: usize, call: Option<&PackedCall>, people: &People) {
        for field in SearchField::ALL {
            if let Source::Call(k) = field.source() {
                let span = self
                    .arena
                    .pack(call.and_then(|c| field.text(c, people)).unwrap_or(""));
                if let Some(s) = self.spans.get_mut(slot * CALL_FIELDS + k) {
                    *s = span;
                }
            }
        }
        let keys = self.keys_of(call, people);
        if let Some(k) = self.keys.get_mut(slot) {
            *k = keys;
        }
    }

    /// The keys of a call's client and handler, packing a person not seen before.
    fn keys_of(&mut self, call: Option<&PackedCall>, people: &People) -> [u32; 2] {
        let client = call.and_then(|c| c.client_uid());
        let staff = call.and_then(|c| c.handled_by_staff_uid());
        [
            client.map_or(NO_KEY, |id| {
                self.clients
                    .key(id, &mut self.arena, || people.client_name(id).unwrap_or(""))
            }),
            staff.map_or(NO_KEY, |uid| {
                self.staff
                    .key(uid, &mut self.arena, || people.staff_label(uid))
            }),
        ]
    }

    /// Repacks the names that changed in `people` since generation `since` (every name when
    /// that is too long ago); returns the keys renamed, clients' and staff's.
    pub(super) fn rename(&mut self, people: &People, since: u64) -> (Vec<u32>, Vec<u32>) {
        let (mut clients, mut staff) = (Vec::new(), Vec::new());
        let client_name = |id: &str| people.client_name(id).unwrap_or("").to_string();
        let staff_label = |uid: &str| people.staff_label(uid).to_string();
        match people.changed_since(since) {
            Some(changes) => {
                let mut roster = false;
                for change in changes {
                    match change {
                        NameChange::Client(id) => {
                            if let Some(key) =
                                self.clients.rename_one(id, &mut self.arena, client_name)
                            {
                                clients.push(key);
                            }
                        }
                        NameChange::Roster => roster = true,
                    }
                }
                if roster {
                    staff = self.staff.rename_all(&mut self.arena, staff_label);
                }
            }
            None => {
                clients = self.clients.rename_all(&mut self.arena, client_name);
                staff = self.staff.rename_all(&mut self.arena, staff_label);
            }
        }
        clients.sort_unstable();
        clients.dedup();
        (clients, staff)
    }

    /// The slots whose client is one of `clients` or whose handler is one of `staff`.
    pub(super) fn slots_of(&self, clients: &[u32], staff: &[u32]) -> Vec<CallId> {
        let wanted = |keys: &[u32], key: u32| key != NO_KEY && keys.binary_search(&key).is_ok();
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, [c, s])| wanted(clients, *c) || wanted(staff, *s))
            .map(|(slot, _)| slot_id(slot))
            .collect()
    }

    /// The bytes the arena holds, for [`Search::heap_bytes`](super::Search::heap_bytes).
    pub(super) fn heap_bytes(&self) -> usize {
        self.arena.ascii.capacity()
            + self.arena.wide.capacity() * size_of::<char>()
            + self.spans.capacity() * size_of::<Span>()
            + self.keys.capacity() * size_of::<[u32; 2]>()
            + self.clients.heap_bytes()
            + self.staff.heap_bytes()
    }

    /// The fields of the call in `slot` packed per call.
    pub(super) fn fields(&self, slot: usize) -> &[Span] {
        self.spans
            .get(slot * CALL_FIELDS..(slot + 1) * CALL_FIELDS)
            .unwrap_or_default()
    }

    /// The keys of the call in `slot`: its client's and its handler's.
    pub(super) fn keys(&self, slot: usize) -> [u32; 2] {
        self.keys.get(slot).copied().unwrap_or([NO_KEY; 2])
    }

    pub(super) fn text(&self, span: Span) -> Utf32Str<'_> {
        self.arena.text(span)
    }

    /// Scores the keys of one kind (`staff` or clients) with `value` (of a text and its
    /// span): those not scored yet, and those `which` says. Returns the keys scored before
    /// whose score changed.
    pub(super) fn score_keys(
        &mut self,
        staff: bool,
        renamed: &[u32],
        which: Rescore,
        mut value: impl FnMut(Utf32Str<'_>, Span) -> Option<u32>,
    ) -> Vec<u32> {
        let Haystacks {
            arena,
            clients,
            staff: staff_keys,
            ..
        } = self;
        let keyed = if staff { staff_keys } else { clients };
        let mut changed = Vec::new();
        let scored = keyed.scores.len();
        let again: Vec<usize> = match which {
            Rescore::All => (0..scored).collect(),
            Rescore::Matched => (0..scored)
                .filter(|&k| keyed.scores[k] != [None, None])
                .collect(),
            Rescore::Renamed => renamed
                .iter()
                .map(|&k| k as usize)
                .filter(|&k| k < scored)
                .collect(),
        };
        keyed.scores.resize(keyed.spans.len(), [None, None]);
        for key in again.into_iter().chain(scored..keyed.spans.len()) {
            let [name, id] = keyed.spans[key];
            let new = [value(arena.text(name), name), value(arena.text(id), id)];
            // A new key is only on calls new or changed, scanned anyway.
            if key < scored && keyed.scores[key] != new {
                changed.push(u32::try_from(key).unwrap_or(NO_KEY));
            }
            keyed.scores[key] = new;
        }
        changed
    }
}

/// Which keys [`Haystacks::score_keys`] scores again, besides those never scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rescore {
    /// Every key: a new pattern.
    All,
    /// Those that matched: a pattern that only narrows.
    Matched,
    /// Those renamed: the same pattern.
    Renamed,
}

impl Keyed {
    /// The key of `id`, packing it (and its `name`) when new.
    fn key<'p>(&mut self, id: &str, arena: &mut Arena, name: impl FnOnce() -> &'p str) -> u32 {
        if let Some(&key) = self.by_id.get(id) {
            return key;
        }
        // Past u32::MAX people a terminal console has long run out of memory.
        let key = u32::try_from(self.spans.len()).unwrap_or(NO_KEY);
        self.spans.push([arena.pack(name()), arena.pack(id)]);
        self.by_id.insert(id.into(), key);
        key
    }

    /// Repacks the name of `id`, if a call names them; its key.
    fn rename_one(
        &mut self,
        id: &str,
        arena: &mut Arena,
        name: impl Fn(&str) -> String,
    ) -> Option<u32> {
        let key = *self.by_id.get(id)?;
        let span = arena.pack(&name(id));
        self.spans.get_mut(key as usize)?[0] = span;
        Some(key)
    }

    /// Repacks every name; every key, ascending.
    fn rename_all(&mut self, arena: &mut Arena, name: impl Fn(&str) -> String) -> Vec<u32> {
        for (id, &key) in &self.by_id {
            if let Some(spans) = self.spans.get_mut(key as usize) {
                spans[0] = arena.pack(&name(id));
            }
        }
        (0..u32::try_from(self.spans.len()).unwrap_or(NO_KEY)).collect()
    }

    /// The score of a key's name (`0`) or id (`1`) for the current pattern, when it matches.
    pub(super) fn score(&self, key: u32, text: usize) -> Option<u32> {
        self.scores.get(key as usize)?[text]
    }

    fn heap_bytes(&self) -> usize {
        self.by_id.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.by_id.keys().map(|id| id.len()).sum::<usize>()
            + self.spans.capacity() * size_of::<[Span; 2]>()
            + self.scores.capacity() * size_of::<[Option<u32>; 2]>()
    }
}

impl Arena {
    fn pack(&mut self, text: &str) -> Span {
        // Offsets are u32 to keep spans small; past 2 GiB of text a field is left
        // unsearchable rather than wrapped into another field's text.
        match Utf32Str::new(text, &mut self.chars) {
            Utf32Str::Ascii(bytes) => {
                let (Ok(start), Ok(len)) =
                    (u32::try_from(self.ascii.len()), u32::try_from(bytes.len()))
                else {
                    return Span::default();
                };
                if len >= WIDE {
                    return Span::default();
                }
                self.ascii.extend_from_slice(bytes);
                Span {
                    start,
                    len,
                    chars: ascii_chars(bytes),
                    word_starts: word_starts(bytes),
                }
            }
            Utf32Str::Unicode(chars) => {
                let (Ok(start), Ok(len)) =
                    (u32::try_from(self.wide.len()), u32::try_from(chars.len()))
                else {
                    return Span::default();
                };
                if len >= WIDE {
                    return Span::default();
                }
                let from = self.wide.len();
                self.wide.extend(chars.iter().map(|&c| fold_final_sigma(c)));
                Span {
                    start,
                    len: len | WIDE,
                    chars: wide_chars(&self.wide[from..]),
                    word_starts: 0,
                }
            }
        }
    }

    fn text(&self, span: Span) -> Utf32Str<'_> {
        let start = span.start as usize;
        let len = (span.len & !WIDE) as usize;
        if span.len & WIDE == 0 {
            Utf32Str::Ascii(self.ascii.get(start..start + len).unwrap_or_default())
        } else {
            Utf32Str::Unicode(self.wide.get(start..start + len).unwrap_or_default())
        }
    }
}

/// The id of store slot `slot` (slots are numbered as the store numbers them).
fn slot_id(slot: usize) -> CallId {
    CallId::from_index(slot)
}
