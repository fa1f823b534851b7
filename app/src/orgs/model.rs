//! The organization tree's rules: trees, levels, which level may sit under which, paths,
//! member statuses and the unified social credit code. No I/O.

use serde::{Deserialize, Serialize};

use crate::ids::OrgId;

use crate::error::{FieldError, Msg};
use crate::i18n::Strings;

/// The two trees a person can belong to, once each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tree {
    Party,
    League,
}

impl Tree {
    pub const ALL: [Tree; 2] = [Tree::Party, Tree::League];

    pub fn as_str(self) -> &'static str {
        match self {
            Tree::Party => "party",
            Tree::League => "league",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "party" => Some(Tree::Party),
            "league" => Some(Tree::League),
            _ => None,
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            Tree::Party => t.tree_party,
            Tree::League => t.tree_league,
        }
    }
}

/// The level of an organization. Its name depends on the tree (党委 / 团委).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    /// 行业党委 / 行业团委: above company committees, e.g. a city's internet industry.
    IndustryCommittee,
    /// 党委 / 团委
    Committee,
    /// 党总支 / 团总支
    GeneralBranch,
    /// 党支部 / 团支部
    Branch,
    /// 联合党支部 / 联合团支部: enterprises with fewer than 3 members, together.
    JointBranch,
    /// 党小组 / 团小组
    Group,
}

impl OrgKind {
    pub const ALL: [OrgKind; 6] = [
        OrgKind::IndustryCommittee,
        OrgKind::Committee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::JointBranch,
        OrgKind::Group,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::IndustryCommittee => "industry_committee",
            OrgKind::Committee => "committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::JointBranch => "joint_branch",
            OrgKind::Group => "group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A branch (ordinary or joint) is where members are registered and secretaries serve.
    pub fn is_branch(self) -> bool {
        matches!(self, OrgKind::Branch | OrgKind::JointBranch)
    }

    /// May an organization of this kind sit directly under `parent`? `None` is the top.
    pub fn allowed_under(self, parent: Option<OrgKind>) -> bool {
        use OrgKind::*;
        match parent {
            None => matches!(self, IndustryCommittee | Committee),
            Some(IndustryCommittee) => {
                matches!(self, Committee | GeneralBranch | Branch | JointBranch)
            }
            Some(Committee) => matches!(self, Committee | GeneralBranch | Branch | JointBranch),
            Some(GeneralBranch) => matches!(self, Branch | JointBranch),
            Some(Branch | JointBranch) => self == Group,
            Some(Group) => false,
        }
    }

    /// The kinds that may be added under `parent`.
    pub fn children_of(parent: Option<OrgKind>) -> Vec<OrgKind> {
        Self::ALL
            .into_iter()
            .filter(|k| k.allowed_under(parent))
            .collect()
    }

    pub fn label(self, tree: Tree, t: &Strings) -> &'static str {
        use OrgKind::*;
        match (tree, self) {
            (Tree::Party, IndustryCommittee) => t.kind_party_industry_committee,
            (Tree::Party, Committee) => t.kind_party_committee,
            (Tree::Party, GeneralBranch) => t.kind_party_general_branch,
            (Tree::Party, Branch) => t.kind_party_branch,
            (Tree::Party, JointBranch) => t.kind_party_joint_branch,
            (Tree::Party, Group) => t.kind_party_group,
            (Tree::League, IndustryCommittee) => t.kind_league_industry_committee,
            (Tree::League, Committee) => t.kind_league_committee,
            (Tree::League, GeneralBranch) => t.kind_league_general_branch,
            (Tree::League, Branch) => t.kind_league_branch,
            (Tree::League, JointBranch) => t.kind_league_joint_branch,
            (Tree::League, Group) => t.kind_league_group,
        }
    }
}

/// The founding threshold that a number of members reaches (domain: 3 found a branch,
/// 30 a general branch, 100 a committee; fewer than 3 join a joint branch).
pub fn founding_level(members: u32) -> OrgKind {
    match members {
        100.. => OrgKind::Committee,
        30.. => OrgKind::GeneralBranch,
        3.. => OrgKind::Branch,
        _ => OrgKind::JointBranch,
    }
}

/// Ids from the root down to an organization, itself included (the `ltree` path).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(pub Vec<i64>);

impl OrgPath {
    /// Parses the database form `1.5.23`.
    pub fn parse(s: &str) -> Option<Self> {
        let ids = s
            .split('.')
            .map(|p| p.parse::<i64>().ok().filter(|id| *id > 0))
            .collect::<Option<Vec<_>>>()?;
        (!ids.is_empty()).then_some(Self(ids))
    }

    pub fn id(&self) -> OrgId {
        OrgId(*self.0.last().expect("a path is never empty"))
    }

    /// Is `self` the same as `other` or somewhere under it?
    pub fn is_within(&self, other: &OrgPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The path of the organization directly above; none for a root.
    pub fn parent(&self) -> Option<OrgPath> {
        (self.0.len() > 1).then(|| OrgPath(self.0[..self.0.len() - 1].to_vec()))
    }

    pub fn child(&self, id: OrgId) -> OrgPath {
        let mut ids = self.0.clone();
        ids.push(id.0);
        OrgPath(ids)
    }
}

impl std::fmt::Display for OrgPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(i64::to_string).collect();
        f.write_str(&parts.join("."))
    }
}

/// A person's standing in a tree (domain: member statuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MemberStatus {
    /// 入党申请人
    Applicant,
    /// 入党积极分子
    Activist,
    /// 发展对象
    Candidate,
    /// 预备党员
    Probationary,
    /// 正式党员
    Full,
    /// 入团积极分子
    LeagueActivist,
    /// 团员
    LeagueMember,
    /// 青年职工: 35 or under, not a member
    YoungEmployee,
}

impl MemberStatus {
    pub const ALL: [MemberStatus; 8] = [
        MemberStatus::Applicant,
        MemberStatus::Activist,
        MemberStatus::Candidate,
        MemberStatus::Probationary,
        MemberStatus::Full,
        MemberStatus::LeagueActivist,
        MemberStatus::LeagueMember,
        MemberStatus::YoungEmployee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Applicant => "applicant",
            MemberStatus::Activist => "activist",
            MemberStatus::Candidate => "candidate",
            MemberStatus::Probationary => "probationary",
            MemberStatus::Full => "full",
            MemberStatus::LeagueActivist => "league_activist",
            MemberStatus::LeagueMember => "league_member",
            MemberStatus::YoungEmployee => "young_employee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The tree in which this status is recorded.
    pub fn tree(self) -> Tree {
        match self {
            MemberStatus::Applicant
            | MemberStatus::Activist
            | MemberStatus::Candidate
            | MemberStatus::Probationary
            | MemberStatus::Full => Tree::Party,
            MemberStatus::LeagueActivist
            | MemberStatus::LeagueMember
            | MemberStatus::YoungEmployee => Tree::League,
        }
    }

    pub fn for_tree(tree: Tree) -> Vec<MemberStatus> {
        Self::ALL.into_iter().filter(|s| s.tree() == tree).collect()
    }

    /// The status an invitation gives by default in a tree.
    pub fn default_for(tree: Tree) -> MemberStatus {
        match tree {
            Tree::Party => MemberStatus::Full,
            Tree::League => MemberStatus::LeagueMember,
        }
    }

    pub fn label(self, t: &Strings) -> &'static str {
        match self {
            MemberStatus::Applicant => t.status_applicant,
            MemberStatus::Activist => t.status_activist,
            MemberStatus::Candidate => t.status_candidate,
            MemberStatus::Probationary => t.status_probationary,
            MemberStatus::Full => t.status_full,
            MemberStatus::LeagueActivist => t.status_league_activist,
            MemberStatus::LeagueMember => t.status_league_member,
            MemberStatus::YoungEmployee => t.status_young_employee,
        }
    }
}

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
/// 31-character alphabet, the last one a check character over the first 17.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CreditCode(String);

const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

impl CreditCode {
    /// Accepts upper or lower case and surrounding spaces; checks length, alphabet and the
    /// check character.
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let code = input.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if bytes.len() != 18 {
            return Err(Msg::CreditCodeInvalid);
        }
        let value = |b: u8| {
            CREDIT_ALPHABET
                .iter()
                .position(|c| *c == b)
                .map(|p| p as u32)
        };
        let mut sum = 0;
        for (b, w) in bytes[..17].iter().zip(CREDIT_WEIGHTS) {
            sum += value(*b).ok_or(Msg::CreditCodeInvalid)? * w;
        }
        if value(bytes[17]) != Some(Self::check_value(sum)) {
            return Err(Msg::CreditCodeInvalid);
        }
        Ok(Self(code))
    }

    fn check_value(weighted_sum: u32) -> u32 {
        (31 - weighted_sum % 31) % 31
    }

    /// Completes 17 valid characters with their check character (used for demo data).
    pub fn with_check_char(first17: &str) -> Option<Self> {
        let bytes = first17.as_bytes();
        if bytes.len() != 17 {
            return None;
        }
        let mut sum = 0;
        for (b, w) in bytes.iter().zip(CREDIT_WEIGHTS) {
            sum += CREDIT_ALPHABET.iter().position(|c| c == b)? as u32 * w;
        }
        let check = CREDIT_ALPHABET[Self::check_value(sum) as usize] as char;
        Some(Self(format!("{first17}{check}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An organization's name: trimmed, 2 to 60 characters, no control characters.
pub fn parse_org_name(input: &str) -> Result<String, Msg> {
    let name = input.trim();
    let len = name.chars().count();
    if len == 0 {
        Err(Msg::Required)
    } else if len < 2 || name.chars().any(char::is_control) {
        Err(Msg::NameInvalid)
    } else if len > 60 {
        Err(Msg::TooLong)
    } else {
        Ok(name.to_owned())
    }
}

/// A phone number as a roster shows it, 138****8000: enough to tell members apart, not
/// enough to call them.
pub fn mask_phone(phone: &str) -> String {
    if phone.len() == 11 {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_owned()
    }
}

/// The parent picked for a new organization: blank for the top of the tree, else its id.
pub fn parse_parent_id(input: &str) -> Result<Option<OrgId>, std::num::ParseIntError> {
    match input.trim() {
        "" => Ok(None),
        s => s.parse().map(Some),
    }
}

/// A new organization's fields as posted, each parsed but not yet told: a caller who may
/// not add there hears that before any word about the fields.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgFields {
    pub kind: Option<OrgKind>,
    pub name: Result<String, Msg>,
    /// `Ok(None)` when left blank: the link to an enterprise is optional.
    pub credit_code: Result<Option<CreditCode>, Msg>,
}

impl OrgFields {
    /// Parses the fields as typed; a blank credit code links no enterprise.
    pub fn parse(kind: &str, name: &str, credit_code: &str) -> Self {
        Self {
            kind: OrgKind::parse(kind),
            name: parse_org_name(name),
            credit_code: match credit_code.trim() {
                "" => Ok(None),
                _ => CreditCode::parse(credit_code).map(Some),
            },
        }
    }

    /// The level, the name and the linked enterprise, given the enterprise the credit code
    /// names (`None` when it names no known one); or every field's fault at once, in the
    /// order of the form.
    pub fn check(
        self,
        enterprise_id: Option<i64>,
    ) -> Result<(OrgKind, String, Option<i64>), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.kind.is_none() {
            errors.push(FieldError::new("kind", Msg::Required));
        }
        if let Err(m) = &self.name {
            errors.push(FieldError::new("name", *m));
        }
        match (&self.credit_code, enterprise_id) {
            (Err(m), _) => errors.push(FieldError::new("credit_code", *m)),
            (Ok(Some(_)), None) => {
                errors.push(FieldError::new("credit_code", Msg::EnterpriseUnknown))
            }
            _ => {}
        }
        let linked = enterprise_id.filter(|_| matches!(self.credit_code, Ok(Some(_))));
        match (self.kind, self.name) {
            (Some(kind), Ok(name)) if errors.is_empty() => Ok((kind, name, linked)),
            _ => Err(errors),
        }
    }
}

/// The status an invitation of an organization may give: invitations are for branches
/// only, and the status must be one of the branch's tree.
pub fn invitation_status(
    kind: OrgKind,
    tree: Tree,
    status: Option<MemberStatus>,
) -> Result<MemberStatus, Msg> {
    if !kind.is_branch() {
        return Err(Msg::KindNotAllowedHere);
    }
    status
        .filter(|s| s.tree() == tree)
        .ok_or(Msg::StatusNotInTree)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_published_credit_code_passes_its_check_character() {
        // The code printed on a well-known Shenzhen company's business licence.
        assert!(CreditCode::parse("91440300708461136T").is_ok());
        assert!(CreditCode::parse(" 91440300708461136t ").is_ok());
    }

    #[test]
    fn a_credit_code_with_a_wrong_check_character_is_refused() {
        assert_eq!(
            CreditCode::parse("91440300708461136U"),
            Err(Msg::CreditCodeInvalid)
        );
    }

    #[test]
    fn a_credit_code_of_wrong_length_or_letters_is_refused() {
        assert!(CreditCode::parse("").is_err());
        assert!(CreditCode::parse("9144030070846113").is_err());
        // I, O, S, V and Z are not in the alphabet.
        assert!(CreditCode::parse("9144030070846113IT").is_err());
    }

    proptest! {
        #[test]
        fn every_completed_code_parses_and_any_single_change_is_caught(
            idx in proptest::collection::vec(0usize..31, 17),
            pos in 0usize..18,
            delta in 1usize..31,
        ) {
            let first17: String = idx.iter().map(|i| CREDIT_ALPHABET[*i] as char).collect();
            let code = CreditCode::with_check_char(&first17).unwrap();
            prop_assert_eq!(CreditCode::parse(code.as_str()), Ok(code.clone()));
            let mut bytes = code.as_str().as_bytes().to_vec();
            let old = CREDIT_ALPHABET.iter().position(|c| *c == bytes[pos]).unwrap();
            bytes[pos] = CREDIT_ALPHABET[(old + delta) % 31];
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(CreditCode::parse(&changed).is_err());
        }
    }

    #[test]
    fn levels_nest_as_the_tree_requires() {
        use OrgKind::*;
        assert!(IndustryCommittee.allowed_under(None));
        assert!(Committee.allowed_under(Some(IndustryCommittee)));
        assert!(Branch.allowed_under(Some(GeneralBranch)));
        assert!(Group.allowed_under(Some(Branch)));
        assert!(!Branch.allowed_under(None));
        assert!(!GeneralBranch.allowed_under(Some(Branch)));
        assert!(!Committee.allowed_under(Some(GeneralBranch)));
        assert!(OrgKind::children_of(Some(Group)).is_empty());
    }

    #[test]
    fn founding_thresholds_follow_member_counts() {
        assert_eq!(founding_level(2), OrgKind::JointBranch);
        assert_eq!(founding_level(3), OrgKind::Branch);
        assert_eq!(founding_level(29), OrgKind::Branch);
        assert_eq!(founding_level(30), OrgKind::GeneralBranch);
        assert_eq!(founding_level(100), OrgKind::Committee);
    }

    #[test]
    fn paths_know_what_is_within_what() {
        let root = OrgPath::parse("1").unwrap();
        let company = OrgPath::parse("1.5").unwrap();
        let branch = OrgPath::parse("1.5.23").unwrap();
        let other = OrgPath::parse("1.6.23").unwrap();
        assert!(branch.is_within(&company));
        assert!(branch.is_within(&root));
        assert!(branch.is_within(&branch));
        assert!(!company.is_within(&branch));
        assert!(!other.is_within(&company));
        assert_eq!(branch.to_string(), "1.5.23");
        assert_eq!(company.child(OrgId(9)), OrgPath(vec![1, 5, 9]));
        assert_eq!(OrgPath::parse("1..2"), None);
        assert_eq!(OrgPath::parse(""), None);
    }

    #[test]
    fn statuses_belong_to_one_tree() {
        assert_eq!(MemberStatus::Probationary.tree(), Tree::Party);
        assert_eq!(MemberStatus::YoungEmployee.tree(), Tree::League);
        assert!(
            MemberStatus::for_tree(Tree::Party).contains(&MemberStatus::default_for(Tree::Party))
        );
        assert!(
            MemberStatus::for_tree(Tree::League).contains(&MemberStatus::default_for(Tree::League))
        );
    }

    #[test]
    fn phones_in_rosters_are_masked() {
        assert_eq!(mask_phone("13800138000"), "138****8000");
    }

    #[test]
    fn org_names_are_trimmed_and_bounded() {
        assert_eq!(parse_org_name("  研发一支部 "), Ok("研发一支部".to_owned()));
        assert_eq!(parse_org_name("   "), Err(Msg::Required));
        assert_eq!(parse_org_name("a"), Err(Msg::NameInvalid));
        assert_eq!(parse_org_name(&"长".repeat(61)), Err(Msg::TooLong));
    }

    #[test]
    fn a_blank_parent_means_the_top_of_the_tree_and_a_non_number_is_refused() {
        assert_eq!(parse_parent_id(" "), Ok(None));
        assert_eq!(parse_parent_id(" 42 "), Ok(Some(OrgId(42))));
        assert!(parse_parent_id("top").is_err());
    }

    #[test]
    fn a_new_organization_reports_every_bad_field_in_form_order() {
        let fields = OrgFields::parse("castle", "a", "91440300708461136U");
        assert_eq!(
            fields.check(None),
            Err(vec![
                FieldError::new("kind", Msg::Required),
                FieldError::new("name", Msg::NameInvalid),
                FieldError::new("credit_code", Msg::CreditCodeInvalid),
            ])
        );
    }

    #[test]
    fn a_credit_code_that_names_no_known_enterprise_is_refused_and_a_blank_one_links_none() {
        let named = OrgFields::parse("branch", "研发党支部", "91440300708461136T");
        assert_eq!(
            named.clone().check(None),
            Err(vec![FieldError::new("credit_code", Msg::EnterpriseUnknown)])
        );
        assert_eq!(
            named.check(Some(9)),
            Ok((OrgKind::Branch, "研发党支部".to_owned(), Some(9)))
        );
        assert_eq!(
            OrgFields::parse("branch", "研发党支部", " ").check(None),
            Ok((OrgKind::Branch, "研发党支部".to_owned(), None))
        );
    }

    #[test]
    fn an_invitation_is_for_a_branch_and_gives_a_status_of_its_tree() {
        use MemberStatus::*;
        assert_eq!(
            invitation_status(OrgKind::Branch, Tree::Party, Some(Full)),
            Ok(Full)
        );
        assert_eq!(
            invitation_status(OrgKind::JointBranch, Tree::League, Some(LeagueMember)),
            Ok(LeagueMember)
        );
        assert_eq!(
            invitation_status(OrgKind::Branch, Tree::Party, Some(LeagueMember)),
            Err(Msg::StatusNotInTree)
        );
        assert_eq!(
            invitation_status(OrgKind::Branch, Tree::Party, None),
            Err(Msg::StatusNotInTree)
        );
        // Not a branch is told first, whatever the status.
        assert_eq!(
            invitation_status(OrgKind::Committee, Tree::Party, None),
            Err(Msg::KindNotAllowedHere)
        );
    }
}

/// An organization with the ones under it, for drawing the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeItem<N> {
    pub node: N,
    pub children: Vec<TreeItem<N>>,
}

/// What tree building needs to know of a node.
pub trait TreeNode {
    fn id(&self) -> i64;
    fn parent_id(&self) -> Option<i64>;
    fn name(&self) -> &str;
}

/// Builds the forest from a parent-before-children list. A node whose parent is not in
/// the list (the top of the caller's reach) becomes a root.
pub fn build_forest<N: TreeNode + Clone>(nodes: &[N]) -> Vec<TreeItem<N>> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<i64> = nodes.iter().map(TreeNode::id).collect();
    let mut kids: HashMap<i64, Vec<N>> = HashMap::new();
    let mut roots = Vec::new();
    for n in nodes {
        match n.parent_id().filter(|p| ids.contains(p)) {
            Some(p) => kids.entry(p).or_default().push(n.clone()),
            None => roots.push(n.clone()),
        }
    }
    fn grow<N: TreeNode + Clone>(
        n: N,
        kids: &mut std::collections::HashMap<i64, Vec<N>>,
    ) -> TreeItem<N> {
        let children = kids
            .remove(&n.id())
            .unwrap_or_default()
            .into_iter()
            .map(|c| grow(c, kids))
            .collect();
        TreeItem { node: n, children }
    }
    roots.into_iter().map(|r| grow(r, &mut kids)).collect()
}

/// The nodes whose name contains `query` (case-free), with every ancestor kept so that the
/// matches still sit in their place. An empty query keeps everything.
pub fn filter_tree<N: TreeNode + Clone>(nodes: &[N], query: &str) -> Vec<N> {
    use std::collections::{HashMap, HashSet};
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return nodes.to_vec();
    }
    let parent: HashMap<i64, Option<i64>> = nodes.iter().map(|n| (n.id(), n.parent_id())).collect();
    let mut keep = HashSet::new();
    for n in nodes
        .iter()
        .filter(|n| n.name().to_lowercase().contains(&q))
    {
        let mut at = Some(n.id());
        while let Some(id) = at {
            if !keep.insert(id) {
                break;
            }
            at = parent.get(&id).copied().flatten();
        }
    }
    nodes
        .iter()
        .filter(|n| keep.contains(&n.id()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct N(i64, Option<i64>, &'static str);
    impl TreeNode for N {
        fn id(&self) -> i64 {
            self.0
        }
        fn parent_id(&self) -> Option<i64> {
            self.1
        }
        fn name(&self) -> &str {
            self.2
        }
    }

    fn sample() -> Vec<N> {
        vec![
            N(1, None, "市互联网行业党委"),
            N(2, Some(1), "甲公司党委"),
            N(3, Some(2), "研发党支部"),
            N(4, Some(1), "乙公司党委"),
            N(5, Some(4), "运营党支部"),
        ]
    }

    #[test]
    fn the_forest_nests_children_under_parents() {
        let forest = build_forest(&sample());
        assert_eq!(forest.len(), 1);
        assert_eq!(forest[0].children.len(), 2);
        assert_eq!(forest[0].children[0].children[0].node.2, "研发党支部");
    }

    #[test]
    fn nodes_whose_parent_is_out_of_reach_become_roots() {
        let forest = build_forest(&sample()[2..]);
        assert_eq!(
            forest.iter().map(|i| i.node.0).collect::<Vec<_>>(),
            vec![3, 4]
        );
    }

    #[test]
    fn a_search_keeps_matches_with_their_ancestors() {
        let kept = filter_tree(&sample(), "研发");
        assert_eq!(kept.iter().map(|n| n.0).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(filter_tree(&sample(), "  ").len(), 5);
        assert!(filter_tree(&sample(), "不存在").is_empty());
    }
}
