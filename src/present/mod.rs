//! Every sentence the tool says, in both languages, in one place. The rest of the code returns
//! facts (findings, reports, outcomes, statuses); the functions here turn each into words for a
//! [`Lang`], one `match` per kind of message. The command line and the explorer both call them,
//! so a message is written once. JSON output uses [`Lang::En`] for its messages.
//!
//! To add a message: add a variant to the enum it belongs to ([`FindingKind`], [`Notice`],
//! [`Label`], [`Hint`]) and its two texts to the one `match` below that words it.
//!
//! By what is worded: `review` (findings, statuses, `explain`), `compose` (the composer's
//! report), `operations` (the table, the detail, `lookup`), `notices` (outcomes and the status
//! line), `labels` (the explorer's fixed words), `commands` (the command line's summaries);
//! `words` holds what they share.

mod calls;
mod commands;
mod compose;
mod errors;
mod failures;
mod labels;
mod notices;
mod operations;
mod review;
mod simulate;
mod words;

pub use calls::*;
pub use commands::*;
pub use compose::*;
pub use errors::*;
pub use failures::*;
pub use labels::*;
pub use notices::*;
pub use operations::*;
pub use review::*;
pub use simulate::*;
pub use words::{id_and_route, route_or_none};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::lang::Lang;
    use crate::policy::export::ExportFormat;
    use crate::policy::review::FindingKind;
    use crate::text::width;

    #[test]
    fn table_aligns_cjk_by_display_width() {
        let c = Catalog::builtin().unwrap();
        let t = operations_table(&c, &[0, 1], Lang::Zh);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("ID "));
        // The NAME column starts at the same display column on every row.
        let col = |l: &str, needle: &str| width(&l[..l.find(needle).unwrap()]);
        assert_eq!(col(lines[1], "查询镜像列表"), col(lines[2], "更新镜像信息"));
        assert!(lines[2].contains("ims:images:update, ims:serverImages:create*"));
        assert!(t.contains("* 条件授权项"));
    }

    #[test]
    fn detail_lists_conditions_and_prerequisites() {
        let c = Catalog::builtin().unwrap();
        let d = operation_detail(&c.operations()[3], Lang::En);
        assert!(
            d.starts_with("POST /v2/cloudimages/quickimport/action  (ims: quick-import-image)\n")
        );
        assert!(d.contains("ims:serverImages:create* (only for importing a system disk image)"));
        assert!(d.contains("Tenant Administrator permission of OBS"));
        let d = operation_detail(&c.operations()[14], Lang::Zh);
        assert!(d.contains("无：不需要授权"), "{d}");
    }

    #[test]
    fn every_notice_and_finding_has_both_languages() {
        let notices = [
            Notice::NotWritten,
            Notice::NothingSelected,
            Notice::NoPolicy,
            Notice::NeedsOneAction,
            Notice::TooLong { limit: 5 },
            Notice::ExportIs(ExportFormat::Terraform),
            Notice::Wrote {
                bytes: 3,
                path: "p".into(),
                through: None,
            },
        ];
        for n in &notices {
            assert_ne!(notice(n, Lang::En), notice(n, Lang::Zh), "{n:?}");
        }
        let k = FindingKind::MissingEffect;
        assert_ne!(finding(&k, Lang::En), finding(&k, Lang::Zh));
    }
}
