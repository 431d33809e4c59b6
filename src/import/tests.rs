//! Unit tests of the importer.

use super::*;

fn services() -> Vec<String> {
    vec!["ims".into()]
}

#[test]
fn slugs() {
    assert_eq!(slug("GET", "/v2/cloudimages"), "get-v2-cloudimages");
    assert_eq!(
        slug("PATCH", "/v2/cloudimages/{image_id}"),
        "patch-v2-cloudimages-image-id"
    );
    assert_eq!(
        slug("DELETE", "/v1.1/images/{image_id}"),
        "delete-v1-1-images-image-id"
    );
    assert_eq!(slug("GET", "/"), "get-root");
}

#[test]
fn actions_one_by_one_or_run_together_with_conditions() {
    let s = services();
    assert_eq!(
        split_actions("ims:a:b（仅x需要）", &s).unwrap(),
        [("ims:a:b".into(), Some("仅x需要".into()))]
    );
    assert_eq!(
        split_actions("ims:a:b (only for x)", &s).unwrap(),
        [("ims:a:b".into(), Some("only for x".into()))]
    );
    assert_eq!(
        split_actions("ims:images:getims:images:update", &s).unwrap(),
        [
            ("ims:images:get".into(), None),
            ("ims:images:update".into(), None)
        ]
    );
    assert_eq!(
        split_actions(
            "ims:serverImages:create（仅快速导入系统盘镜像需要）ims:dataImages:create（仅快速导入数据盘镜像需要）",
            &s
        )
        .unwrap(),
        [
            ("ims:serverImages:create".into(), Some("仅快速导入系统盘镜像需要".into())),
            ("ims:dataImages:create".into(), Some("仅快速导入数据盘镜像需要".into()))
        ]
    );
    // Another service's action run on (a known service, not in the table's cells).
    assert_eq!(
        split_actions("ecs:servers:createImageevs:volumes:get", &["ecs".into()]).unwrap(),
        [
            ("ecs:servers:createImage".into(), None),
            ("evs:volumes:get".into(), None)
        ]
    );
    for none in ["无", "N/A", "-", " "] {
        assert!(split_actions(none, &s).unwrap().is_empty(), "{none}");
    }
    assert!(split_actions("list servers", &s).is_err());
    // A condition with no action before it in the item belongs to the action before the item.
    assert_eq!(
        split_actions("(x) ims:a:b", &s).unwrap(),
        [
            (String::new(), Some("x".to_string())),
            ("ims:a:b".to_string(), None)
        ]
    );
}

#[test]
fn routes_with_notes_glued_on() {
    assert_eq!(
        split_route("POST /v2/cloudimages/action外部文件制作镜像前请确保…"),
        Some((
            "POST".into(),
            "/v2/cloudimages/action".into(),
            Some("外部文件制作镜像前请确保…".into())
        ))
    );
    assert_eq!(split_route("get /"), Some(("GET".into(), "/".into(), None)));
    assert_eq!(split_route("/v2/images"), None);
    assert_eq!(split_route("FETCH /v2"), None);
}

#[test]
fn scope_cells_in_every_wording() {
    assert_eq!(
        parse_scopes("支持： 项目（Project） 企业项目（Enterprise Project） 不支持：无"),
        Ok((true, true))
    );
    assert_eq!(
        parse_scopes("支持：项目（Project） 不支持：企业项目（Enterprise Project）"),
        Ok((true, false))
    );
    assert_eq!(
        parse_scopes("Supported: Project Not supported: Enterprise Project"),
        Ok((true, false))
    );
    assert!(parse_scopes("yes").is_err());
    for (s, v) in [
        ("√", true),
        ("x", false),
        ("×", false),
        ("Y", true),
        ("N", false),
    ] {
        assert_eq!(yes_no(s), Some(v), "{s}");
    }
    assert_eq!(yes_no("maybe"), None);
}

#[test]
fn headers_in_both_languages_and_forms() {
    let cases = [
        ("权限", Column::Name),
        ("API功能", Column::Name),
        ("Permission", Column::Name),
        ("对应API接口", Column::Route),
        ("对应的API接口", Column::Route),
        ("API", Column::Route),
        ("授权项", Column::Actions),
        ("授权项（Action）", Column::Actions),
        ("Action", Column::Actions),
        ("依赖的授权项", Column::Dependencies),
        ("Dependencies", Column::Dependencies),
        ("授权范围", Column::Scopes),
        ("授权作用域", Column::Scopes),
        ("IAM项目（Project）", Column::Project),
        ("IAM项目 (Project)", Column::Project),
        ("IAM Project", Column::Project),
        ("企业项目（Enterprise Project）", Column::EnterpriseProject),
        ("Enterprise Project", Column::EnterpriseProject),
    ];
    for (h, c) in cases {
        assert_eq!(column_of(h), Some(c), "{h}");
    }
    assert_eq!(column_of("Parameter"), None);
}

#[test]
fn markdown_headings() {
    assert_eq!(
        markdown_heading("# 镜像共享<a name=\"ims_03_appendix_08\"></a>"),
        Some("镜像共享".into())
    );
    assert_eq!(
        markdown_heading("## Image Sharing"),
        Some("Image Sharing".into())
    );
    assert_eq!(markdown_heading("#hashtag"), None);
    assert_eq!(markdown_heading("text # not"), None);
}

#[test]
fn deep_nesting_is_counted_without_parsing() {
    let deep = format!("{}{}", "<div>".repeat(600), "</div>".repeat(600));
    assert!(nesting_exceeds(&deep, MAX_NESTING));
    let flat = "<p>x<li>y".repeat(5_000);
    assert!(!nesting_exceeds(&flat, MAX_NESTING));
}
