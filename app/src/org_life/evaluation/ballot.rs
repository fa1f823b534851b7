//! Sealing the annual evaluation's secret ballots (民主评议), and the threat model they
//! are built for.
//!
//! What stays secret from whom, and for how long:
//! - Who voted is not secret: the branch's organizers see who has and who has not, so that
//!   they can remind them. What each voter chose is secret from everyone, for ever.
//! - While the ballot is open, each ballot is stored sealed (XChaCha20-Poly1305, a fresh
//!   random nonce each, bound to its evaluation) with a key that lives only in the server's
//!   configuration (`BALLOT_KEY`), never in the database. Someone who reads every table,
//!   the system columns (xmin, ctid, row order), the sequences, or a backup, learns that a
//!   member voted and sees a sealed ballot of the same length as every other, but cannot
//!   open it. Ballots carry no id, no time and no voter.
//! - The one trust placed in the operator: whoever holds both the key and the database
//!   while the ballot is open could open the ballots and join them to their voters (a vote
//!   writes its "has voted" mark and its sealed ballot in one transaction).
//! - When the ballot closes, one transaction opens every sealed ballot, adds it to the
//!   per-member counters and deletes it. From then on the database, and every backup taken
//!   after, hold only counters and "has voted" marks: nobody, the operator included, can
//!   tell who voted what. A backup taken while the ballot was open holds only sealed
//!   ballots, which need the key.
//! - Counters are arithmetic: a branch where everyone chose the same grade for a member
//!   shows that each voter did. The tallies show only once the ballot has closed.

use crate::ids::UserId;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use super::model::{Grade, decode_ballot, encode_ballot};

const NONCE_LEN: usize = 24;

/// The key ballots are sealed with: 32 bytes from the server's configuration.
#[derive(Clone)]
pub struct BallotKey(Key);

impl std::fmt::Debug for BallotKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotKey(..)")
    }
}

impl BallotKey {
    /// A key from 64 hexadecimal digits.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Self(key.into()))
    }

    /// A new random key, as 64 hexadecimal digits.
    pub fn generate_hex() -> String {
        XChaCha20Poly1305::generate_key(&mut OsRng)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Seals a checked ballot of evaluation `evaluation`: the nonce, then the ciphertext.
    pub fn seal(&self, evaluation: i64, ballot: &[(UserId, Grade)]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = XChaCha20Poly1305::new(&self.0)
            .encrypt(
                &nonce,
                Payload {
                    msg: &encode_ballot(ballot),
                    aad: &evaluation.to_be_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a ballot sealed for evaluation `evaluation`; `None` when it was sealed with
    /// another key, for another evaluation, or changed.
    pub fn open(&self, evaluation: i64, sealed: &[u8]) -> Option<Vec<(UserId, Grade)>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = XChaCha20Poly1305::new(&self.0)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &evaluation.to_be_bytes(),
                },
            )
            .ok()?;
        decode_ballot(&plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Grade::*;

    fn key() -> BallotKey {
        BallotKey::from_hex(&BallotKey::generate_hex()).unwrap()
    }

    #[test]
    fn a_sealed_ballot_opens_only_with_its_key_for_its_evaluation() {
        let k = key();
        let ballot = vec![(UserId(1), Excellent), (UserId(2), Unqualified)];
        let sealed = k.seal(10, &ballot);
        assert_eq!(k.open(10, &sealed), Some(ballot.clone()));
        assert_eq!(k.open(11, &sealed), None, "moved to another evaluation");
        assert_eq!(key().open(10, &sealed), None, "another key");
        let mut changed = sealed.clone();
        let last = changed.len() - 1;
        changed[last] ^= 1;
        assert_eq!(k.open(10, &changed), None);
        assert_eq!(k.open(10, &sealed[..10]), None);
    }

    #[test]
    fn equal_ballots_seal_differently_and_every_ballot_has_the_same_length() {
        let k = key();
        let a = k.seal(1, &[(UserId(1), Excellent), (UserId(2), Excellent)]);
        let b = k.seal(1, &[(UserId(1), Excellent), (UserId(2), Excellent)]);
        let c = k.seal(1, &[(UserId(1), Unqualified), (UserId(2), Qualified)]);
        assert_ne!(a, b);
        assert_eq!(a.len(), c.len());
    }

    #[test]
    fn a_key_is_64_hexadecimal_digits() {
        assert!(BallotKey::from_hex(&"ab".repeat(32)).is_some());
        assert!(BallotKey::from_hex(&"ab".repeat(31)).is_none());
        assert!(BallotKey::from_hex(&"zz".repeat(32)).is_none());
        assert!(BallotKey::from_hex(&"é".repeat(32)).is_none());
        assert_eq!(format!("{:?}", key()), "BallotKey(..)");
    }
}
