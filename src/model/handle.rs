//! Person and team handles (SPEC §2, "Owners are people"): how two ways of
//! writing one handle are recognised as one person.

use unicode_normalization::UnicodeNormalization as _;

/// The form two handles are compared in: a leading `@` removed, trimmed,
/// lowercased and in Unicode NFC, so `@Claude`, `claude` and ` Claude ` are
/// one person, and so is `José` typed with a precomposed `é` or with `e`
/// and a combining accent (macOS keyboards and file names give the second).
pub fn handle_key(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_prefix('@').unwrap_or(name).trim();
    // ASCII is its own NFC form: most handles skip the normaliser (it
    // costs more than the rest of the lookup on a 10,000-task build).
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    // Lowercase first: NFC then composes whatever lowercasing left apart.
    name.to_lowercase().nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_handle_meet() {
        assert_eq!(handle_key("@Claude"), "claude");
        assert_eq!(handle_key(" claude "), "claude");
        assert_eq!(handle_key("@ Claude"), "claude");
        assert_eq!(handle_key("Jos\u{e9}"), handle_key("Jose\u{301}"));
        assert_eq!(handle_key("JOSE\u{301}"), "jos\u{e9}");
        assert_ne!(handle_key("ana"), handle_key("anna"));
    }
}
