//! Accounts and access, as plain rules: what a valid phone number, user name, password and
//! invitation code are, and which roles reach which organizations. No I/O.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Msg, field_ok};
use crate::i18n::Strings;
use crate::ids::UserId;
use crate::orgs::model::{OrgKind, OrgPath};

/// A mainland mobile number, 11 digits starting 13 to 19; `+86`, spaces and dashes dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let digits: String = input
            .trim()
            .trim_start_matches("+86")
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        if digits.is_empty() {
            return Err(Msg::Required);
        }
        let b = digits.as_bytes();
        if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && b[1] >= b'3' {
            Ok(Self(digits))
        } else {
            Err(Msg::PhoneInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user name: 3 to 32 of a-z, 0-9, `_`, `.`, `-`, starting with a letter; stored lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let name = input.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(Msg::Required);
        }
        let ok = (3..=32).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
            });
        if ok {
            Ok(Self(name))
        } else {
            Err(Msg::UsernameInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a person signs in: a phone number or a user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    Phone(Phone),
    Username(Username),
}

impl Login {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        if input.trim().is_empty() {
            return Err(Msg::Required);
        }
        if let Ok(phone) = Phone::parse(input) {
            return Ok(Login::Phone(phone));
        }
        Username::parse(input)
            .map(Login::Username)
            .map_err(|_| Msg::LoginInvalid)
    }

    /// The key rate limits count sign-in attempts under.
    pub fn key(&self) -> &str {
        match self {
            Login::Phone(p) => p.as_str(),
            Login::Username(u) => u.as_str(),
        }
    }

    /// The account the sign-in limits count an attempt on: the user id of the account the
    /// login names, so that its phone number and its user name count as one; a login that
    /// names nobody counts under its own text.
    pub fn account_key(&self, user_id: Option<UserId>) -> String {
        match user_id {
            Some(id) => id.to_string(),
            None => format!("login:{}", self.key()),
        }
    }
}

/// A sign-in as posted: the login, or the one fault to tell. A login that cannot be a phone
/// number or a user name gets the answer a wrong password gets, so that the form never
/// hints at which logins exist.
pub fn parse_sign_in(login: &str, password: &str) -> Result<Login, FieldError> {
    let login = match Login::parse(login) {
        Ok(login) => login,
        Err(Msg::Required) => return Err(FieldError::new("login", Msg::Required)),
        Err(_) => return Err(FieldError::form(Msg::BadCredentials)),
    };
    if password.is_empty() {
        return Err(FieldError::new("password", Msg::Required));
    }
    Ok(login)
}

/// Who a session says is signed in: the user, the session's id and the epoch of its
/// sign-in. Not to be believed until checked against the database (a live session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub user_id: UserId,
    pub session_id: String,
    pub epoch: i32,
}

/// Recent failed sign-ins that bear on one attempt, in the current window: of this account
/// from this address, from this address on any account, and of this account from anywhere,
/// with the seconds since the account's last failure and until the window ends.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SignInFailures {
    pub pair: i32,
    pub address: i32,
    pub account: i32,
    pub since_account_failure: f64,
    pub window_left: f64,
}

/// The sign-in limits: failures allowed for one account from one address, from one address
/// over all accounts, and for one account from everywhere before its growing delay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignInLimits {
    pub per_pair: i32,
    pub per_address: i32,
    pub account_ceiling: i32,
    pub window_secs: i64,
}

/// Whether an attempt may go ahead, or the seconds to wait. Only failures count, so that
/// ordinary use from one office address never locks anyone out, and someone guessing
/// another's password cannot lock its owner out: an address with no failure on the account
/// always gets its attempt. Past the account's ceiling, each address that has failed on it
/// waits twice as long after every further failure (2, 4, 8 … seconds, at most the window).
pub fn sign_in_gate(f: &SignInFailures, l: &SignInLimits) -> Result<(), u64> {
    let wait = |secs: f64| secs.ceil().max(1.0) as u64;
    if f.pair >= l.per_pair || f.address >= l.per_address {
        return Err(wait(f.window_left));
    }
    if f.pair > 0 && f.account >= l.account_ceiling {
        let over = (f.account - l.account_ceiling + 1).min(20) as u32;
        let delay = (2f64.powi(over as i32)).min(l.window_secs as f64);
        if f.since_account_failure < delay {
            return Err(wait(delay - f.since_account_failure));
        }
    }
    Ok(())
}

/// A person's name as shown to others: 1 to 32 characters, no control characters.
pub fn parse_display_name(input: &str) -> Result<String, Msg> {
    let name = input.trim();
    match name.chars().count() {
        0 => Err(Msg::Required),
        33.. => Err(Msg::TooLong),
        _ if name.chars().any(char::is_control) => Err(Msg::NameInvalid),
        _ => Ok(name.to_owned()),
    }
}

const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// A new password: 8 to 128 characters and not one of the most common passwords. The
/// plain text never leaves the server's memory; only its argon2id hash is stored.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let len = input.chars().count();
        if len == 0 {
            return Err(Msg::Required);
        }
        if len < 8 {
            return Err(Msg::PasswordTooShort);
        }
        if len > 128 {
            return Err(Msg::TooLong);
        }
        let lower = input.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|p| p.trim() == lower) {
            return Err(Msg::PasswordTooCommon);
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A new password typed twice: the password's own fault first; the confirmation is
    /// only compared with a password that is acceptable.
    pub fn parse_confirmed(password: &str, confirm: &str) -> Result<Self, FieldError> {
        let new = Self::parse(password).map_err(|m| FieldError::new("password", m))?;
        if password != confirm {
            return Err(FieldError::new("password_confirm", Msg::PasswordMismatch));
        }
        Ok(new)
    }
}

/// A password change as posted: the new password, or every field's fault at once.
pub fn parse_password_change(
    current: &str,
    password: &str,
    confirm: &str,
) -> Result<NewPassword, Vec<FieldError>> {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(FieldError::new("current", Msg::Required));
    }
    match NewPassword::parse_confirmed(password, confirm) {
        Ok(new) if errors.is_empty() => Ok(new),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

/// A sign-up as posted, checked: the account to create, or every field's fault at once in
/// the order of the form.
#[derive(Debug)]
pub struct SignUp {
    pub code: InvitationCode,
    pub display_name: String,
    pub phone: Phone,
    /// A user name is optional: `None` when left blank.
    pub username: Option<Username>,
    pub password: NewPassword,
}

impl SignUp {
    /// Checks the sign-up form's fields as typed.
    pub fn parse(
        code: &str,
        display_name: &str,
        phone: &str,
        username: &str,
        password: &str,
        password_confirm: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = field_ok(&mut errors, "code", InvitationCode::parse(code));
        let display_name = field_ok(
            &mut errors,
            "display_name",
            parse_display_name(display_name),
        );
        let phone = field_ok(&mut errors, "phone", Phone::parse(phone));
        let username = if username.trim().is_empty() {
            Some(None)
        } else {
            field_ok(&mut errors, "username", Username::parse(username).map(Some))
        };
        let password = NewPassword::parse_confirmed(password, password_confirm)
            .map_err(|e| errors.push(e))
            .ok();
        // Every field that failed has left its error; all present means none failed.
        match (code, display_name, phone, username, password) {
            (Some(code), Some(display_name), Some(phone), Some(username), Some(password)) => {
                Ok(Self {
                    code,
                    display_name,
                    phone,
                    username,
                    password,
                })
            }
            _ => Err(errors),
        }
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// Invitation codes: 8 characters without look-alikes (no 0/O, 1/I/L), typed case-free.
pub const INVITATION_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const INVITATION_LEN: usize = 8;
/// How long an invitation may be valid, in days, and how many sign-ups it may admit.
pub const INVITATION_MAX_DAYS: u32 = 90;
pub const INVITATION_MAX_USES: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationCode(String);

impl InvitationCode {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let code: String = input
            .trim()
            .chars()
            .filter(|c| *c != '-' && *c != ' ')
            .collect::<String>()
            .to_ascii_uppercase();
        if code.is_empty() {
            return Err(Msg::Required);
        }
        if code.len() == INVITATION_LEN && code.bytes().all(|b| INVITATION_ALPHABET.contains(&b)) {
            Ok(Self(code))
        } else {
            Err(Msg::InvitationUnknown)
        }
    }

    /// Builds a code from random indexes into the alphabet.
    pub fn from_indexes(idx: [u8; INVITATION_LEN]) -> Self {
        Self(
            idx.iter()
                .map(|i| INVITATION_ALPHABET[*i as usize % INVITATION_ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why an existing invitation code cannot be used (right now), or `Ok` if it can.
pub fn invitation_usable(expired: bool, used: u32, max_uses: u32) -> Result<(), Msg> {
    if expired {
        Err(Msg::InvitationExpired)
    } else if used >= max_uses {
        Err(Msg::InvitationUsedUp)
    } else {
        Ok(())
    }
}

/// The terms of a new invitation, as typed by its issuer.
pub fn parse_invitation_terms(days: &str, uses: &str) -> Result<(u32, u32), Vec<FieldError>> {
    let days = days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=INVITATION_MAX_DAYS).contains(d));
    let uses = uses
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|u| (1..=INVITATION_MAX_USES).contains(u));
    match (days, uses) {
        (Some(d), Some(u)) => Ok((d, u)),
        (d, u) => {
            let mut errors = Vec::new();
            if d.is_none() {
                errors.push(FieldError::new("days", Msg::InvitationValidity));
            }
            if u.is_none() {
                errors.push(FieldError::new("uses", Msg::InvitationUses));
            }
            Err(errors)
        }
    }
}

/// A role held over an organization and everything under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// 支部书记: runs one branch.
    Secretary,
    /// 支委: serves on a branch committee.
    CommitteeMember,
    /// An organization admin (党委 / 团委 admin): the organization and its subtree.
    OrgAdmin,
    /// Runs the installation; held over the whole platform.
    PlatformAdmin,
    /// 党费收缴员: collects and records one branch's dues.
    DuesOfficer,
}

impl Role {
    pub const ASSIGNABLE: [Role; 4] = [
        Role::Secretary,
        Role::CommitteeMember,
        Role::OrgAdmin,
        Role::DuesOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Secretary => "secretary",
            Role::CommitteeMember => "committee_member",
            Role::OrgAdmin => "org_admin",
            Role::PlatformAdmin => "platform_admin",
            Role::DuesOfficer => "dues_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Role::Secretary,
            Role::CommitteeMember,
            Role::OrgAdmin,
            Role::PlatformAdmin,
            Role::DuesOfficer,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    /// A role an administrator may give (not the platform's own), by its name.
    pub fn parse_assignable(s: &str) -> Option<Self> {
        Self::parse(s).filter(|r| Self::ASSIGNABLE.contains(r))
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Role::Secretary => t.role_secretary,
            Role::CommitteeMember => t.role_committee_member,
            Role::OrgAdmin => t.role_org_admin,
            Role::PlatformAdmin => t.role_platform_admin,
            Role::DuesOfficer => t.role_dues_officer,
        }
    }

    /// Secretaries and committee members serve branches; admins serve any organization.
    pub fn fits(self, kind: OrgKind) -> bool {
        match self {
            Role::Secretary | Role::CommitteeMember | Role::DuesOfficer => {
                kind.is_branch() || kind == OrgKind::GeneralBranch
            }
            Role::OrgAdmin => true,
            Role::PlatformAdmin => false,
        }
    }
}

/// A role over an organization (its path), or over the platform (`path` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub path: Option<OrgPath>,
}

/// Who is asking and what they hold: the input of every authorization decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn is_platform_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::PlatformAdmin)
    }

    /// Administers `target`: a platform admin, or an organization admin at or above it.
    pub fn can_administer(&self, target: &OrgPath) -> bool {
        self.grants.iter().any(|g| match (g.role, &g.path) {
            (Role::PlatformAdmin, _) => true,
            (Role::OrgAdmin, Some(p)) => target.is_within(p),
            _ => false,
        })
    }

    /// Manages the branch at or above `target` (its roster, invitations): its secretary or
    /// committee members, or anyone who administers it.
    pub fn can_manage(&self, target: &OrgPath) -> bool {
        self.can_administer(target)
            || self.grants.iter().any(|g| match (g.role, &g.path) {
                (Role::Secretary | Role::CommitteeMember, Some(p)) => target.is_within(p),
                _ => false,
            })
    }

    /// Collects the dues of the branch at `target`: its dues officer, or whoever manages it.
    pub fn can_collect_dues(&self, target: &OrgPath) -> bool {
        self.can_manage(target)
            || self.grants.iter().any(|g| match (g.role, &g.path) {
                (Role::DuesOfficer, Some(p)) => target.is_within(p),
                _ => false,
            })
    }

    /// Holds any role that opens the organization pages (a dues officer's does not).
    pub fn manages_anything(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::DuesOfficer)
    }

    /// The subtrees the actor's roles reach, or `None` for all of every tree (a platform
    /// admin).
    pub fn reach(&self) -> Option<Vec<OrgPath>> {
        if self.is_platform_admin() {
            None
        } else {
            Some(self.grants.iter().filter_map(|g| g.path.clone()).collect())
        }
    }

    /// May add an organization under `parent`: whoever administers it; at the top of a
    /// tree (`None`), platform admins only.
    pub fn may_add_under(&self, parent: Option<&OrgPath>) -> bool {
        match parent {
            Some(path) => self.can_administer(path),
            None => self.is_platform_admin(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: SignInLimits = SignInLimits {
        per_pair: 5,
        per_address: 50,
        account_ceiling: 20,
        window_secs: 900,
    };

    fn failures(pair: i32, address: i32, account: i32, since: f64) -> SignInFailures {
        SignInFailures {
            pair,
            address,
            account,
            since_account_failure: since,
            window_left: 600.0,
        }
    }

    #[test]
    fn an_address_with_no_failure_on_the_account_always_gets_its_attempt() {
        // Someone else failed 200 times a second ago: the owner's address is not held up.
        assert_eq!(sign_in_gate(&failures(0, 0, 200, 1.0), &LIMITS), Ok(()));
        assert_eq!(sign_in_gate(&failures(0, 49, 200, 0.0), &LIMITS), Ok(()));
    }

    #[test]
    fn too_many_failures_from_one_address_wait_for_the_window() {
        assert_eq!(sign_in_gate(&failures(4, 4, 4, 0.0), &LIMITS), Ok(()));
        assert_eq!(sign_in_gate(&failures(5, 5, 5, 0.0), &LIMITS), Err(600));
        assert_eq!(sign_in_gate(&failures(0, 50, 0, 0.0), &LIMITS), Err(600));
    }

    #[test]
    fn past_the_account_ceiling_a_failed_address_waits_longer_after_each_failure() {
        assert_eq!(sign_in_gate(&failures(1, 1, 19, 0.0), &LIMITS), Ok(()));
        assert_eq!(sign_in_gate(&failures(1, 1, 20, 0.5), &LIMITS), Err(2));
        assert_eq!(sign_in_gate(&failures(1, 1, 20, 2.0), &LIMITS), Ok(()));
        assert_eq!(sign_in_gate(&failures(1, 1, 23, 3.0), &LIMITS), Err(13));
        assert_eq!(sign_in_gate(&failures(1, 1, 400, 10.0), &LIMITS), Err(890));
    }

    fn path(s: &str) -> OrgPath {
        OrgPath::parse(s).unwrap()
    }

    fn actor(grants: &[(Role, Option<&str>)]) -> Actor {
        Actor {
            user_id: UserId(1),
            grants: grants
                .iter()
                .map(|(role, p)| Grant {
                    role: *role,
                    path: p.map(path),
                })
                .collect(),
        }
    }

    #[test]
    fn phone_numbers_are_normalised_and_checked() {
        assert_eq!(
            Phone::parse("+86 138-0013-8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(Phone::parse(""), Err(Msg::Required));
        assert_eq!(Phone::parse("12800138000"), Err(Msg::PhoneInvalid));
        assert_eq!(Phone::parse("1380013800"), Err(Msg::PhoneInvalid));
        assert_eq!(Phone::parse("1380013800x"), Err(Msg::PhoneInvalid));
    }

    #[test]
    fn user_names_are_lower_case_and_start_with_a_letter() {
        assert_eq!(
            Username::parse(" Wang.Fang ").unwrap().as_str(),
            "wang.fang"
        );
        assert_eq!(Username::parse("9lives"), Err(Msg::UsernameInvalid));
        assert_eq!(Username::parse("ab"), Err(Msg::UsernameInvalid));
        assert_eq!(Username::parse("王芳"), Err(Msg::UsernameInvalid));
    }

    #[test]
    fn a_login_is_a_phone_number_or_else_a_user_name() {
        assert!(matches!(Login::parse("13800138000"), Ok(Login::Phone(_))));
        assert!(matches!(Login::parse("admin"), Ok(Login::Username(_))));
        assert_eq!(Login::parse("  "), Err(Msg::Required));
        assert_eq!(Login::parse("王芳"), Err(Msg::LoginInvalid));
    }

    #[test]
    fn short_and_common_passwords_are_refused() {
        assert_eq!(NewPassword::parse("").unwrap_err(), Msg::Required);
        assert_eq!(
            NewPassword::parse("abc123").unwrap_err(),
            Msg::PasswordTooShort
        );
        assert_eq!(
            NewPassword::parse("password").unwrap_err(),
            Msg::PasswordTooCommon
        );
        assert_eq!(
            NewPassword::parse("Qwerty123").unwrap_err(),
            Msg::PasswordTooCommon
        );
        assert_eq!(
            NewPassword::parse("12345678").unwrap_err(),
            Msg::PasswordTooCommon
        );
        assert!(NewPassword::parse("青年学习2026春").is_ok());
        assert!(NewPassword::parse("horse-battery-staple").is_ok());
    }

    #[test]
    fn invitation_codes_are_typed_case_free_and_without_look_alikes() {
        assert_eq!(
            InvitationCode::parse("abcd-ef23").unwrap().as_str(),
            "ABCDEF23"
        );
        assert_eq!(InvitationCode::parse(""), Err(Msg::Required));
        assert_eq!(
            InvitationCode::parse("ABCDEF2O"),
            Err(Msg::InvitationUnknown)
        );
        assert_eq!(
            InvitationCode::parse("ABCDEF2"),
            Err(Msg::InvitationUnknown)
        );
        let code = InvitationCode::from_indexes([0, 1, 2, 3, 30, 31, 200, 7]);
        assert_eq!(InvitationCode::parse(code.as_str()), Ok(code));
    }

    #[test]
    fn an_invitation_is_refused_when_expired_or_used_up() {
        assert_eq!(invitation_usable(false, 0, 1), Ok(()));
        assert_eq!(invitation_usable(true, 0, 1), Err(Msg::InvitationExpired));
        assert_eq!(invitation_usable(false, 1, 1), Err(Msg::InvitationUsedUp));
    }

    #[test]
    fn invitation_terms_are_bounded() {
        assert_eq!(parse_invitation_terms("30", "50"), Ok((30, 50)));
        let errors = parse_invitation_terms("0", "x").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(parse_invitation_terms("91", "1").is_err());
        assert!(parse_invitation_terms("1", "501").is_err());
    }

    #[test]
    fn an_org_admin_reaches_the_subtree_and_nothing_beside_it() {
        let a = actor(&[(Role::OrgAdmin, Some("1.5"))]);
        assert!(a.can_administer(&path("1.5")));
        assert!(a.can_administer(&path("1.5.23.40")));
        assert!(!a.can_administer(&path("1")));
        assert!(!a.can_administer(&path("1.6.23")));
        assert!(a.can_manage(&path("1.5.23")));
    }

    #[test]
    fn a_secretary_manages_the_own_branch_but_not_another() {
        let a = actor(&[(Role::Secretary, Some("1.5.23"))]);
        assert!(a.can_manage(&path("1.5.23")));
        assert!(a.can_manage(&path("1.5.23.77")));
        assert!(!a.can_manage(&path("1.5.24")));
        assert!(!a.can_manage(&path("1.5")));
        assert!(!a.can_administer(&path("1.5.23")));
    }

    #[test]
    fn a_member_without_roles_manages_nothing() {
        let a = actor(&[]);
        assert!(!a.can_manage(&path("1")));
        assert!(!a.can_administer(&path("1")));
        assert!(!a.manages_anything());
    }

    #[test]
    fn a_platform_admin_reaches_everything() {
        let a = actor(&[(Role::PlatformAdmin, None)]);
        assert!(a.is_platform_admin());
        assert!(a.can_administer(&path("9.8.7")));
        assert!(a.can_manage(&path("9")));
    }

    #[test]
    fn a_sign_up_reports_every_bad_field_at_once_in_form_order() {
        let fields = |errors: Vec<FieldError>| -> Vec<(String, Msg)> {
            errors.into_iter().map(|e| (e.field, e.msg)).collect()
        };
        let errors = SignUp::parse("", "", "123", "9x", "short", "short").unwrap_err();
        assert_eq!(
            fields(errors),
            vec![
                ("code".to_owned(), Msg::Required),
                ("display_name".to_owned(), Msg::Required),
                ("phone".to_owned(), Msg::PhoneInvalid),
                ("username".to_owned(), Msg::UsernameInvalid),
                ("password".to_owned(), Msg::PasswordTooShort),
            ]
        );
        let mismatch = SignUp::parse(
            "ABCD2345",
            "王芳",
            "13800138000",
            "",
            "horse-battery-staple",
            "horse-battery-stable",
        )
        .unwrap_err();
        assert_eq!(
            fields(mismatch),
            vec![("password_confirm".to_owned(), Msg::PasswordMismatch)]
        );
    }

    #[test]
    fn a_sign_up_without_a_user_name_is_accepted() {
        let ok = SignUp::parse(
            "abcd-2345",
            " 王芳 ",
            "138 0013 8000",
            "  ",
            "horse-battery-staple",
            "horse-battery-staple",
        )
        .unwrap();
        assert_eq!(ok.code.as_str(), "ABCD2345");
        assert_eq!(ok.display_name, "王芳");
        assert_eq!(ok.phone.as_str(), "13800138000");
        assert_eq!(ok.username, None);
    }

    #[test]
    fn a_confirmation_is_only_compared_with_an_acceptable_password() {
        assert_eq!(
            NewPassword::parse_confirmed("short", "other").unwrap_err(),
            FieldError::new("password", Msg::PasswordTooShort)
        );
        assert_eq!(
            NewPassword::parse_confirmed("horse-battery-staple", "other").unwrap_err(),
            FieldError::new("password_confirm", Msg::PasswordMismatch)
        );
    }

    #[test]
    fn a_password_change_reports_a_missing_current_password_with_the_new_ones_fault() {
        assert_eq!(
            parse_password_change("", "short", "short").unwrap_err(),
            vec![
                FieldError::new("current", Msg::Required),
                FieldError::new("password", Msg::PasswordTooShort),
            ]
        );
        assert_eq!(
            parse_password_change("", "horse-battery-staple", "horse-battery-staple").unwrap_err(),
            vec![FieldError::new("current", Msg::Required)]
        );
        assert!(
            parse_password_change("old", "horse-battery-staple", "horse-battery-staple").is_ok()
        );
    }

    #[test]
    fn a_sign_in_names_a_missing_field_but_answers_a_malformed_login_like_a_wrong_password() {
        assert_eq!(
            parse_sign_in(" ", "x"),
            Err(FieldError::new("login", Msg::Required))
        );
        assert_eq!(
            parse_sign_in("王芳", "x"),
            Err(FieldError::form(Msg::BadCredentials))
        );
        assert_eq!(
            parse_sign_in("member", ""),
            Err(FieldError::new("password", Msg::Required))
        );
        assert!(matches!(
            parse_sign_in("13800138000", "x"),
            Ok(Login::Phone(_))
        ));
    }

    #[test]
    fn sign_in_failures_count_on_the_account_a_login_names_else_on_the_login() {
        let phone = Login::parse("13800138000").unwrap();
        let name = Login::parse("Member").unwrap();
        assert_eq!(
            phone.account_key(Some(UserId(7))),
            name.account_key(Some(UserId(7)))
        );
        assert_eq!(name.account_key(None), "login:member");
    }

    #[test]
    fn only_the_organization_roles_may_be_given() {
        assert_eq!(Role::parse_assignable("secretary"), Some(Role::Secretary));
        assert_eq!(Role::parse_assignable("org_admin"), Some(Role::OrgAdmin));
        assert_eq!(Role::parse_assignable("platform_admin"), None);
        assert_eq!(Role::parse_assignable("king"), None);
    }

    #[test]
    fn a_platform_admin_reaches_every_tree_and_others_the_subtrees_of_their_roles() {
        assert_eq!(actor(&[(Role::PlatformAdmin, None)]).reach(), None);
        let a = actor(&[
            (Role::Secretary, Some("1.5.23")),
            (Role::OrgAdmin, Some("2")),
        ]);
        assert_eq!(a.reach(), Some(vec![path("1.5.23"), path("2")]));
        assert_eq!(actor(&[]).reach(), Some(vec![]));
    }

    #[test]
    fn organizations_are_added_under_an_administered_parent_or_at_the_top_by_platform_admins() {
        let admin = actor(&[(Role::OrgAdmin, Some("1.5"))]);
        assert!(admin.may_add_under(Some(&path("1.5"))));
        assert!(!admin.may_add_under(Some(&path("1.6"))));
        assert!(!admin.may_add_under(None));
        let secretary = actor(&[(Role::Secretary, Some("1.5.23"))]);
        assert!(!secretary.may_add_under(Some(&path("1.5.23"))));
        assert!(actor(&[(Role::PlatformAdmin, None)]).may_add_under(None));
    }

    #[test]
    fn secretaries_serve_branches_and_admins_any_level() {
        assert!(Role::Secretary.fits(OrgKind::Branch));
        assert!(Role::Secretary.fits(OrgKind::JointBranch));
        assert!(!Role::Secretary.fits(OrgKind::Committee));
        assert!(!Role::Secretary.fits(OrgKind::Group));
        assert!(Role::OrgAdmin.fits(OrgKind::Committee));
        assert!(!Role::PlatformAdmin.fits(OrgKind::Committee));
    }
}
