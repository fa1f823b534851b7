//! The enterprise ledger as plain rules: reading a registry sheet (every bad row reported),
//! normalising names for matching, and who may found what. No I/O.

use serde::{Deserialize, Serialize};

use crate::error::Msg;
use crate::orgs::model::CreditCode;
use crate::uploads::model::{RowError, find_column, split_sheet};

/// One enterprise as a ledger sheet gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub name: String,
    pub name_key: String,
    pub credit_code: String,
    pub district: String,
    pub street: String,
    pub address: String,
    pub employees: i32,
    pub young_employees: i32,
    pub party_members: i32,
    pub league_members: i32,
    pub deregistered: bool,
}

/// A name for matching: without spaces and punctuation, full-width letters and digits made
/// half-width, Latin letters lower-cased, and the common legal suffixes dropped.
pub fn name_key(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    for suffix in ["股份有限公司", "有限责任公司", "有限公司", "公司"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped.to_owned();
            break;
        }
    }
    s
}

struct Columns {
    name: usize,
    code: usize,
    district: Option<usize>,
    street: Option<usize>,
    address: Option<usize>,
    employees: Option<usize>,
    young: Option<usize>,
    party: Option<usize>,
    league: Option<usize>,
    status: Option<usize>,
}

fn columns(header: &[String]) -> Result<Columns, Vec<RowError>> {
    let name = find_column(header, &["企业名称", "名称", "name"]);
    let code = find_column(header, &["统一社会信用代码", "信用代码", "credit_code"]);
    let missing = |c: &str| RowError {
        row: 1,
        column: c.to_owned(),
        msg: Msg::ImportColumnMissing,
    };
    match (name, code) {
        (Some(name), Some(code)) => Ok(Columns {
            name,
            code,
            district: find_column(header, &["区", "所在区", "district"]),
            street: find_column(header, &["街道", "街道/乡镇", "street"]),
            address: find_column(header, &["地址", "address"]),
            employees: find_column(header, &["职工人数", "employees"]),
            young: find_column(header, &["青年职工人数", "35岁以下职工", "young_employees"]),
            party: find_column(header, &["党员人数", "party_members"]),
            league: find_column(header, &["团员人数", "league_members"]),
            status: find_column(header, &["经营状态", "状态", "status"]),
        }),
        (n, c) => Err(
            [(n.is_none(), "企业名称"), (c.is_none(), "统一社会信用代码")]
                .into_iter()
                .filter(|(m, _)| *m)
                .map(|(_, c)| missing(c))
                .collect(),
        ),
    }
}

fn count(
    cells: &[String],
    col: Option<usize>,
    column: &str,
    row: u32,
    errors: &mut Vec<RowError>,
) -> i32 {
    let text = col
        .and_then(|c| cells.get(c))
        .map(|s| s.trim())
        .unwrap_or("");
    if text.is_empty() {
        return 0;
    }
    match text.parse::<i32>() {
        Ok(n @ 0..=10_000_000) => n,
        _ => {
            errors.push(RowError {
                row,
                column: column.to_owned(),
                msg: Msg::CountInvalid,
            });
            0
        }
    }
}

/// Reads a whole ledger sheet (the header first): every row, or every problem by row
/// number. A credit code twice in the file is reported on its second row.
pub fn parse_ledger(rows: &[Vec<String>]) -> Result<Vec<(u32, LedgerRow)>, Vec<RowError>> {
    let (header, data) = split_sheet(rows)?;
    let cols = columns(header)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (row, cells) in data {
        let cell = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let before = errors.len();
        let name = cell(Some(cols.name));
        match name.chars().count() {
            0 => errors.push(RowError {
                row,
                column: "企业名称".into(),
                msg: Msg::Required,
            }),
            1 | 101.. => errors.push(RowError {
                row,
                column: "企业名称".into(),
                msg: Msg::NameInvalid,
            }),
            _ => {}
        }
        let code = match CreditCode::parse(&cell(Some(cols.code))) {
            Ok(c) => c.as_str().to_owned(),
            Err(msg) => {
                errors.push(RowError {
                    row,
                    column: "统一社会信用代码".into(),
                    msg,
                });
                String::new()
            }
        };
        if !code.is_empty() && !seen.insert(code.clone()) {
            errors.push(RowError {
                row,
                column: "统一社会信用代码".into(),
                msg: Msg::CreditCodeTwice,
            });
        }
        let employees = count(cells, cols.employees, "职工人数", row, &mut errors);
        let young_employees = count(cells, cols.young, "青年职工人数", row, &mut errors);
        let party_members = count(cells, cols.party, "党员人数", row, &mut errors);
        let league_members = count(cells, cols.league, "团员人数", row, &mut errors);
        let deregistered = match cell(cols.status).as_str() {
            "" | "存续" | "在业" | "开业" | "正常" | "operating" => false,
            "注销" | "吊销" | "已注销" | "deregistered" => true,
            _ => {
                errors.push(RowError {
                    row,
                    column: "经营状态".into(),
                    msg: Msg::StatusUnknown,
                });
                false
            }
        };
        if errors.len() == before {
            out.push((
                row,
                LedgerRow {
                    name_key: name_key(&name),
                    name,
                    credit_code: code,
                    district: cell(cols.district),
                    street: cell(cols.street),
                    address: cell(cols.address),
                    employees,
                    young_employees,
                    party_members,
                    league_members,
                    deregistered,
                },
            ));
        }
    }
    crate::uploads::model::rows_or_errors(out, errors)
}

/// Founding thresholds: 3 or more League members found their own branch; fewer, with at
/// least one young employee, join or found a joint branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Founding {
    OwnBranch,
    JointBranch,
    NotYet,
}

pub fn founding(league_members: i32, young_employees: i32) -> Founding {
    if league_members >= 3 {
        Founding::OwnBranch
    } else if young_employees >= 1 {
        Founding::JointBranch
    } else {
        Founding::NotYet
    }
}

/// The levels of League committees that stand for an area, in the order they review a
/// founding application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AreaLevel {
    Street,
    District,
    City,
}

impl AreaLevel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "street" => Some(Self::Street),
            "district" => Some(Self::District),
            "city" => Some(Self::City),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Street => "street",
            Self::District => "district",
            Self::City => "city",
        }
    }

    /// The level that reviews after this one (none after the city).
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Street => Some(Self::District),
            Self::District => Some(Self::City),
            Self::City => None,
        }
    }
}

/// The area a League committee stands for: the whole city, one district, or one street of
/// a district. Platform admins see the whole city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub level: AreaLevel,
    pub district: String,
    pub street: String,
}

impl Area {
    pub fn city() -> Self {
        Self {
            level: AreaLevel::City,
            district: String::new(),
            street: String::new(),
        }
    }

    /// An enterprise in `district` and `street` is in this area.
    pub fn covers(&self, district: &str, street: &str) -> bool {
        match self.level {
            AreaLevel::City => true,
            AreaLevel::District => self.district == district,
            AreaLevel::Street => self.district == district && self.street == street,
        }
    }
}

/// Whether any of `areas` covers an enterprise in `district` and `street`.
pub fn in_areas(areas: &[Area], district: &str, street: &str) -> bool {
    areas.iter().any(|a| a.covers(district, street))
}

/// Which firms of the enterprise ledger someone may read: the whole ledger (platform
/// admins), the firms in the areas of the League committees they review for, and the
/// firms of the organizations they administer (a company's own admins: their firm only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerScope {
    pub all: bool,
    pub areas: Vec<Area>,
    pub firms: Vec<i64>,
}

impl LedgerScope {
    pub fn everything() -> Self {
        Self {
            all: true,
            ..Self::default()
        }
    }

    /// Sees no firm at all: the ledger page is not for them.
    pub fn is_empty(&self) -> bool {
        !self.all && self.areas.is_empty() && self.firms.is_empty()
    }

    /// Whether a firm (its id, district and street) is in the scope.
    pub fn covers(&self, firm: i64, district: &str, street: &str) -> bool {
        self.all || self.firms.contains(&firm) || in_areas(&self.areas, district, street)
    }
}

/// An enterprise of the ledger, and whether it has an organization in the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The registry's facts, as imported.
    #[serde(flatten)]
    pub firm: LedgerRow,
    pub has_org: bool,
}

/// Operating enterprises of the ledger that share a normalised name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    pub name_key: String,
    /// (name, credit code, district, street) of each.
    pub firms: Vec<(String, String, String, String)>,
}

/// Which enterprises a ledger page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LedgerFilter {
    All,
    WithOrg,
    WithoutOrg,
    /// Could found an organization and has none.
    Eligible,
    Deregistered,
}

impl LedgerFilter {
    /// The filter a page asks for; "" is all of them.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim() {
            "" => Self::All,
            "with_org" => Self::WithOrg,
            "without_org" => Self::WithoutOrg,
            "eligible" => Self::Eligible,
            "deregistered" => Self::Deregistered,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "",
            Self::WithOrg => "with_org",
            Self::WithoutOrg => "without_org",
            Self::Eligible => "eligible",
            Self::Deregistered => "deregistered",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
            .collect()
    }

    fn code(seed: u32) -> String {
        CreditCode::with_check_char(&format!("91440300MA5{seed:06}"))
            .unwrap()
            .as_str()
            .to_owned()
    }

    #[test]
    fn an_area_covers_its_streets_and_a_city_covers_all() {
        let street = Area {
            level: AreaLevel::Street,
            district: "南山区".into(),
            street: "粤海街道".into(),
        };
        let district = Area {
            level: AreaLevel::District,
            district: "南山区".into(),
            street: String::new(),
        };
        assert!(street.covers("南山区", "粤海街道"));
        assert!(!street.covers("南山区", "西丽街道"));
        // The same street name in another district is another street.
        assert!(!street.covers("福田区", "粤海街道"));
        assert!(district.covers("南山区", "西丽街道"));
        assert!(!district.covers("福田区", "沙头街道"));
        assert!(Area::city().covers("宝安区", "新安街道"));
        assert!(in_areas(&[street, district], "南山区", "西丽街道"));
        assert!(!in_areas(&[], "南山区", "西丽街道"));
        assert_eq!(AreaLevel::Street.next(), Some(AreaLevel::District));
        assert_eq!(AreaLevel::City.next(), None);
        assert_eq!(AreaLevel::parse("district"), Some(AreaLevel::District));
        assert_eq!(AreaLevel::parse("province"), None);
    }

    #[test]
    fn names_are_normalised_for_matching() {
        assert_eq!(name_key(" 星云科技 有限公司 "), "星云科技");
        assert_eq!(name_key("ＡＢＣ网络（深圳）有限责任公司"), "abc网络深圳");
        assert_eq!(name_key("小满科技股份有限公司"), name_key("小满科技公司"));
    }

    #[test]
    fn a_good_ledger_reads_whole_and_a_bad_one_names_every_row() {
        let (a, b) = (code(1), code(2));
        let header: &[&str] = &[
            "企业名称",
            "统一社会信用代码",
            "区",
            "街道",
            "职工人数",
            "青年职工人数",
            "团员人数",
            "经营状态",
        ];
        let good = parse_ledger(&sheet(&[
            header,
            &[
                "星云科技有限公司",
                &a,
                "南山区",
                "粤海街道",
                "120",
                "80",
                "12",
                "存续",
            ],
            &["微光工作室", &b, "南山区", "粤海街道", "", "2", "", "注销"],
        ]))
        .unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[0].1.name_key, "星云科技");
        assert!(good[1].1.deregistered);
        let bad = parse_ledger(&sheet(&[
            header,
            &["好企业", &a, "", "", "", "", "", ""],
            &["坏代码", "91440300MA500000IO", "", "", "", "", "", ""],
            &["重复", &a, "", "", "", "", "", ""],
            &["人数不对", &b, "", "", "很多", "", "", ""],
            &["状态不对", &code(3), "", "", "", "", "", "休眠中"],
            &["", &code(4), "", "", "", "", "", ""],
        ]))
        .unwrap_err();
        let rows: Vec<u32> = bad.iter().map(|e| e.row).collect();
        assert_eq!(rows, vec![3, 4, 5, 6, 7]);
        assert_eq!(
            parse_ledger(&sheet(&[&["名称"]])).unwrap_err()[0].column,
            "统一社会信用代码"
        );
    }

    #[test]
    fn founding_follows_the_league_thresholds() {
        assert_eq!(founding(3, 0), Founding::OwnBranch);
        assert_eq!(founding(2, 5), Founding::JointBranch);
        assert_eq!(founding(0, 0), Founding::NotYet);
    }

    #[test]
    fn a_company_admin_reads_their_own_firm_and_a_reviewer_their_area() {
        let street = Area {
            level: AreaLevel::Street,
            district: "南山区".into(),
            street: "粤海街道".into(),
        };
        let reviewer = LedgerScope {
            areas: vec![street],
            ..LedgerScope::default()
        };
        assert!(reviewer.covers(1, "南山区", "粤海街道"));
        assert!(!reviewer.covers(1, "南山区", "蛇口街道"));
        let company = LedgerScope {
            firms: vec![7],
            ..LedgerScope::default()
        };
        assert!(company.covers(7, "福田区", "华富街道"));
        assert!(!company.covers(8, "福田区", "华富街道"));
        assert!(LedgerScope::everything().covers(9, "", ""));
        assert!(LedgerScope::default().is_empty());
        assert!(!company.is_empty());
    }

    #[test]
    fn a_ledger_filter_reads_back_what_it_writes_and_refuses_others() {
        for f in [
            LedgerFilter::All,
            LedgerFilter::WithOrg,
            LedgerFilter::WithoutOrg,
            LedgerFilter::Eligible,
            LedgerFilter::Deregistered,
        ] {
            assert_eq!(LedgerFilter::parse(f.as_str()), Some(f));
        }
        assert_eq!(
            LedgerFilter::parse(" eligible "),
            Some(LedgerFilter::Eligible)
        );
        assert_eq!(LedgerFilter::parse("1 OR 1=1"), None);
    }
}
