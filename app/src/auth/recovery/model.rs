//! Getting back into an account: the one-time codes (six digits by text message, eight
//! characters from a secretary), how long each lives and how many guesses it takes, and the
//! forms that use them.

use serde::{Deserialize, Serialize};

use crate::auth::model::{
    INVITATION_ALPHABET, INVITATION_LEN, InvitationCode, Login, NewPassword, Phone,
};
use crate::error::{FieldError, Msg};

/// What a code opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodePurpose {
    /// Sent by text message to set a new password.
    Reset,
    /// Sent by text message to sign in without the password.
    SignIn,
    /// Issued in person by the member's branch secretary to set a new password.
    Issued,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::SignIn => "sign_in",
            Self::Issued => "issued",
        }
    }

    /// What the send form asks for: `reset` or `sign_in` (an issued code is never sent).
    pub fn parse_sent(input: &str) -> Option<Self> {
        match input {
            "reset" => Some(Self::Reset),
            "sign_in" => Some(Self::SignIn),
            _ => None,
        }
    }

    /// How long a code of this purpose stays valid, in minutes.
    pub fn minutes(self) -> u32 {
        match self {
            Self::Reset | Self::SignIn => SMS_CODE_MINUTES,
            Self::Issued => ISSUED_CODE_HOURS * 60,
        }
    }

    /// The least time between two codes sent for the same account and purpose, in seconds;
    /// a secretary may issue a new code at once.
    pub fn resend_secs(self) -> i64 {
        match self {
            Self::Reset | Self::SignIn => RESEND_SECS,
            Self::Issued => 0,
        }
    }
}

/// A code by text message lives ten minutes; a secretary's reset code a day.
pub const SMS_CODE_MINUTES: u32 = 10;
pub const ISSUED_CODE_HOURS: u32 = 24;
/// Wrong guesses a code takes before it is dead.
pub const CODE_ATTEMPTS: i32 = 5;
/// A minute between two codes sent to one account.
pub const RESEND_SECS: i64 = 60;
/// Codes asked for one phone number, and from one address, in one rate-limit window.
pub const SENDS_PER_PHONE: i32 = 5;
pub const SENDS_PER_ADDRESS: i32 = 20;
pub const SMS_CODE_LEN: usize = 6;
pub const ISSUED_CODE_LEN: usize = INVITATION_LEN;

/// A one-time code as typed: six digits, or eight characters of the invitation alphabet
/// (typed case-free, with spaces or dashes anywhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let code: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        if code.is_empty() {
            return Err(Msg::Required);
        }
        let sms = code.len() == SMS_CODE_LEN && code.bytes().all(|b| b.is_ascii_digit());
        let issued =
            code.len() == ISSUED_CODE_LEN && code.bytes().all(|b| INVITATION_ALPHABET.contains(&b));
        if sms || issued {
            Ok(Self(code))
        } else {
            Err(Msg::CodeWrong)
        }
    }

    /// A text message's code from a random number.
    pub fn sms(n: u32) -> Self {
        Self(format!("{:06}", n % 1_000_000))
    }

    /// A secretary's reset code from random indexes into the alphabet, made as an
    /// invitation code is.
    pub fn issued(idx: [u8; ISSUED_CODE_LEN]) -> Self {
        Self(InvitationCode::from_indexes(idx).as_str().to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The purposes a code of this shape can serve for a new password.
    pub fn reset_purposes(&self) -> &'static [CodePurpose] {
        if self.0.len() == SMS_CODE_LEN {
            &[CodePurpose::Reset]
        } else {
            &[CodePurpose::Issued]
        }
    }
}

/// What a live code's row says of a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The code is right and still valid: use it.
    Right,
    /// A wrong guess: count it.
    Wrong,
    /// Expired or out of guesses: nothing to count.
    Dead,
}

/// Judges a guess against a live code: `matches` whether the hashes are equal, `expired`
/// whether its time is over, `attempts` the wrong guesses it has taken.
pub fn judge(matches: bool, expired: bool, attempts: i32) -> Verdict {
    if expired || attempts >= CODE_ATTEMPTS {
        Verdict::Dead
    } else if matches {
        Verdict::Right
    } else {
        Verdict::Wrong
    }
}

/// A new password set with a code, as posted: every field's fault at once.
#[derive(Debug)]
pub struct ResetForm {
    pub login: Login,
    pub code: OneTimeCode,
    pub password: NewPassword,
}

impl ResetForm {
    pub fn parse(
        login: &str,
        code: &str,
        password: &str,
        confirm: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let login = Login::parse(login).map_err(|m| FieldError::new("login", m));
        let code = OneTimeCode::parse(code).map_err(|m| FieldError::new("code", m));
        let password = NewPassword::parse_confirmed(password, confirm);
        match (login, code, password) {
            (Ok(login), Ok(code), Ok(password)) => Ok(Self {
                login,
                code,
                password,
            }),
            (l, c, p) => Err([l.err(), c.err(), p.err()].into_iter().flatten().collect()),
        }
    }
}

/// A sign-in with a code by text message, as posted (the number's field is `number`: the
/// page's other form asks for the `phone` to send the code to).
pub fn parse_code_sign_in(
    phone: &str,
    code: &str,
) -> Result<(Phone, OneTimeCode), Vec<FieldError>> {
    let phone = Phone::parse(phone).map_err(|m| FieldError::new("number", m));
    let code = match OneTimeCode::parse(code) {
        Ok(c) if c.as_str().len() == SMS_CODE_LEN => Ok(c),
        Ok(_) => Err(FieldError::new("code", Msg::CodeWrong)),
        Err(m) => Err(FieldError::new("code", m)),
    };
    match (phone, code) {
        (Ok(p), Ok(c)) => Ok((p, c)),
        (p, c) => Err([p.err(), c.err()].into_iter().flatten().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_or_eight_unambiguous_characters_typed_loosely() {
        assert_eq!(OneTimeCode::parse(" 012 345 ").unwrap().as_str(), "012345");
        assert_eq!(
            OneTimeCode::parse("abcd-efgh").unwrap().as_str(),
            "ABCDEFGH"
        );
        assert_eq!(OneTimeCode::parse(""), Err(Msg::Required));
        for bad in [
            "12345",
            "1234567",
            "ABCDEFG0",
            "ABCDEFGHJ",
            "12345a",
            "一二三四五六",
        ] {
            assert_eq!(OneTimeCode::parse(bad), Err(Msg::CodeWrong), "{bad}");
        }
        assert_eq!(OneTimeCode::sms(42).as_str(), "000042");
        assert_eq!(OneTimeCode::sms(1_234_567).as_str(), "234567");
        let issued = OneTimeCode::issued([0, 1, 2, 3, 4, 5, 6, 200]);
        assert_eq!(OneTimeCode::parse(issued.as_str()), Ok(issued.clone()));
        assert_eq!(issued.reset_purposes(), &[CodePurpose::Issued]);
        assert_eq!(OneTimeCode::sms(7).reset_purposes(), &[CodePurpose::Reset]);
    }

    #[test]
    fn a_code_takes_five_wrong_guesses_and_no_guess_after_its_time() {
        assert_eq!(judge(true, false, 0), Verdict::Right);
        assert_eq!(judge(true, false, CODE_ATTEMPTS - 1), Verdict::Right);
        assert_eq!(judge(false, false, CODE_ATTEMPTS - 1), Verdict::Wrong);
        assert_eq!(judge(true, false, CODE_ATTEMPTS), Verdict::Dead);
        assert_eq!(judge(true, true, 0), Verdict::Dead);
    }

    #[test]
    fn forms_name_every_faulty_field() {
        let errs = ResetForm::parse("", "12", "short", "other").unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["login", "code", "password"]);
        let ok = ResetForm::parse(
            "13800138000",
            "123456",
            "a-long-new-pass",
            "a-long-new-pass",
        );
        assert!(ok.is_ok());
        let errs = parse_code_sign_in("123", "ABCDEFGH").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(parse_code_sign_in("13800138000", "123456").is_ok());
        assert_eq!(CodePurpose::parse_sent("issued"), None);
        assert_eq!(CodePurpose::Issued.minutes(), 24 * 60);
    }
}
