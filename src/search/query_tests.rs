//! Unit tests of `query`.

use super::*;

fn run(input: &str) -> Vec<String> {
    let c = Catalog::builtin().unwrap();
    let index = SearchIndex::new(&c);
    search(&c.services(), &index, input)
        .unwrap()
        .into_iter()
        .map(|h| c.operations()[h.index].id.clone())
        .collect()
}

fn err(input: &str) -> String {
    let c = Catalog::builtin().unwrap();
    Query::parse(input, &c.services()).unwrap_err().to_string()
}

#[test]
fn plain_words_find_section_names_in_either_language() {
    let c = Catalog::builtin().unwrap();
    let sharing: Vec<String> = c
        .operations()
        .iter()
        .filter(|o| {
            o.section
                .as_ref()
                .is_some_and(|s| s.get(crate::lang::Lang::Zh) == "镜像共享")
        })
        .map(|o| o.id.clone())
        .collect();
    assert_eq!(sharing.len(), 8);
    for word in ["共享", "sharing"] {
        let mut found = run(word);
        found.retain(|id| sharing.contains(id));
        assert_eq!(found.len(), 8, "{word}: {found:?}");
    }
}

#[test]
fn repeated_terms_are_one_term() {
    let q = Query::parse(&"e -is:native e m:get e ".repeat(500), &["ims"]).unwrap();
    assert_eq!(q.terms.len(), 3);
    assert_eq!(run("image image image"), run("image"));
}

#[test]
fn empty_query_is_everything_in_order() {
    let c = Catalog::builtin().unwrap();
    let all = run("");
    assert_eq!(all.len(), 43);
    let order: Vec<String> = c.operations().iter().map(|o| o.id.clone()).collect();
    assert_eq!(all, order);
    assert_eq!(run("   "), order);
}

#[test]
fn chinese_terms_match_chinese_names() {
    assert_eq!(
        run("删除"),
        [
            "delete-image-native",
            "delete-image-v1-1",
            "delete-tag-native",
            "delete-image-tag",
            "delete-member-native",
            "batch-add-delete-image-tags",
            "delete-members-batch"
        ]
    );
    // Full-width brackets are folded for search only.
    assert!(run("版本(OpenStack").contains(&"list-versions-native".to_string()));
    assert!(run("版本（OpenStack）").contains(&"list-versions-native".to_string()));
}

#[test]
fn prefixes_restrict_fields() {
    let by_action = run("a:images:upload");
    assert_eq!(by_action, ["register-image", "upload-image-native"]);
    assert!(run("n:upload").iter().all(|id| id.contains("upload")));
    assert_eq!(run("r:quickimport"), ["quick-import-image"]);
    assert_eq!(
        run("path:/v1.1"),
        ["list-image-details-v1-1", "delete-image-v1-1"]
    );
    assert_eq!(run("m:head"), ["show-image-metadata-v1"]);
    assert_eq!(run("M:Delete").len(), 6);
    assert_eq!(run("scope:ep").len(), 13);
    assert_eq!(run("scope:project").len(), 43);
    assert_eq!(run("-scope:ep").len(), 30);
    assert_eq!(run("is:deprecated").len(), 3);
    assert_eq!(run("is:native").len(), 21);
    assert_eq!(run("service:IMS").len(), 43);
    assert!(run("service:ecs").is_empty());
}

#[test]
fn words_rank_above_scattered_letters_and_prose_is_searched() {
    // "share" is in the sharing actions: they come first.
    let share = run("share");
    assert!(
        share[..8]
            .iter()
            .all(|id| id.contains("member") || id.contains("share")),
        "{share:?}"
    );
    // OBS appears only in what operations need first and what they do.
    let obs = run("obs");
    for id in [
        "create-image",
        "quick-import-image",
        "create-data-image",
        "register-image",
        "export-image",
    ] {
        assert!(obs.contains(&id.to_string()), "{id}: {obs:?}");
    }
    // Prose matches never outrank a name match.
    let region = run("region");
    assert!(region[0].starts_with("copy-image"), "{region:?}");
}

#[test]
fn sections_match_in_either_language() {
    let sharing = run("section:共享");
    assert_eq!(sharing.len(), 8);
    assert_eq!(run("section:sharing"), sharing);
    assert_eq!(run("section:SHARING"), sharing);
    assert_eq!(run("section:quota"), ["get-quota"]);
    assert_eq!(run("-section:management").len(), 25);
    assert!(run("section:nothing-like-it").is_empty());
}

#[test]
fn negation_and_conjunction() {
    let ids = run("upload -is:native");
    assert_eq!(ids, ["register-image"]);
    let ids = run("m:delete -is:deprecated -is:native");
    assert_eq!(ids, ["delete-image-tag", "delete-members-batch"]);
    assert!(run("zzzzqqq").is_empty());
    assert_eq!(run("-"), run(""));
}

#[test]
fn action_shaped_bare_terms_are_not_prefixes() {
    assert_eq!(run("ims:images:export"), ["export-image"]);
    assert!(run("ims:dataImages").contains(&"create-data-image".to_string()));
}

#[test]
fn ranks_by_score_ties_in_catalog_order() {
    let c = Catalog::builtin().unwrap();
    let index = SearchIndex::new(&c);
    let hits = search(&c.services(), &index, "images").unwrap();
    for pair in hits.windows(2) {
        assert!(
            pair[0].score > pair[1].score
                || (pair[0].score == pair[1].score && pair[0].index < pair[1].index)
        );
    }
    // An exact action beats a scattered match.
    let hits = search(&c.services(), &index, "export").unwrap();
    assert_eq!(c.operations()[hits[0].index].id, "export-image");
}

#[test]
fn highlights_are_char_positions_per_field() {
    let c = Catalog::builtin().unwrap();
    let index = SearchIndex::new(&c);
    let hl_of = |input: &str| {
        let q = Query::parse(input, &c.services()).unwrap();
        let hit = index.search(&q)[0];
        index.highlights(&q, hit.index)
    };
    let hl = hl_of("删除 m:delete");
    assert_eq!(hl.name_zh, vec![0, 1]);
    assert_eq!(hl.method, vec![0, 1, 2, 3, 4, 5]);
    let hl = hl_of("a:export");
    assert_eq!(hl.actions[0], vec![11, 12, 13, 14, 15, 16]);
    assert!(hl.name_en.is_empty(), "a: does not touch names");
    // Negated terms highlight nothing; full-width text is matched folded, positions intact.
    let hl = hl_of("版本( -is:deprecated");
    assert_eq!(hl.name_zh, vec![2, 3, 4]);
}

#[test]
fn narrowing_only_when_the_query_only_grows() {
    let services = ["ims"];
    let q = |s: &str| Query::parse(s, &services).unwrap();
    assert!(q("del").narrows(&q("de")));
    assert!(q("de vol").narrows(&q("de")));
    assert!(q("de -x").narrows(&q("de")));
    assert!(q("de").narrows(&q("")));
    assert!(q("a:expo").narrows(&q("a:exp")));
    assert!(
        !q("-abc").narrows(&q("-ab")),
        "a longer negation excludes less"
    );
    assert!(!q("m:get").narrows(&q("m")), "a term that became a filter");
    assert!(
        !q("service:ims").narrows(&q("service:im")),
        "exact filters do not narrow"
    );
    assert!(!q("d").narrows(&q("de")));
    assert!(!q("xe").narrows(&q("de")));
    // And narrowing gives the same as searching everything.
    let c = crate::testing::synthetic::catalog(3000);
    let index = SearchIndex::new(&c);
    let svc: Vec<&str> = c.services();
    let mut previous = Query::parse("", &svc).unwrap();
    let mut results = index.matches(&previous, None, None).unwrap();
    for typed in [
        "d",
        "de",
        "del",
        "dele",
        "delete",
        "delete v",
        "delete vo",
        "delete vo -x",
    ] {
        let query = Query::parse(typed, &svc).unwrap();
        assert!(query.narrows(&previous));
        let hits = index.search_within(&query, &results);
        assert_eq!(hits, index.search(&query), "{typed}");
        results = index.matches(&query, Some(&results), None).unwrap();
        assert_eq!(results.len(), hits.len());
        previous = query;
    }
}

#[test]
fn ranking_by_bounds_is_the_full_ranking() {
    // Scoring only what can reach the top gives what scoring everything and sorting gives,
    // at any depth, for words, letters scattered, several terms, prose and Chinese (9,000
    // operations: everything is scored on all cores, the first rows by bounds).
    let c = crate::testing::synthetic::catalog(9000);
    let index = SearchIndex::new(&c);
    let svc = c.services();
    for text in [
        "s",
        "se",
        "servers",
        "srv dl",
        "im",
        "ecs vol att",
        "删除",
        "查询 1",
        "delete -vol",
        "a:list",
        "synthetic",
        "Server",
        "zzz",
    ] {
        let query = Query::parse(text, &svc).unwrap();
        let prepared = Prepared::of(&query);
        let mut everything: Vec<Hit> = index
            .matches(&query, None, None)
            .unwrap()
            .indices()
            .map(|i| Hit {
                index: i,
                score: index.score(index.hay(i), &prepared),
            })
            .collect();
        everything.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        assert_eq!(index.search(&query), everything, "{text}");
        for depth in [1, 7, 64] {
            let mut results = index.matches(&query, None, None).unwrap();
            index.rank(&mut results, depth);
            let n = depth.min(everything.len());
            assert_eq!(results.ranked(), &everything[..n], "{text} to {depth}");
            assert_eq!(results.len(), everything.len());
        }
    }
}

#[test]
fn errors_name_the_term_and_the_known_prefixes() {
    assert_eq!(
        err("upload foo:bar"),
        "in `foo:bar`: unknown prefix `foo:`; known prefixes: name: n: action: a: route: r: path: method: m: scope: service: section: is:"
    );
    assert!(err("m:fetch").contains("unknown method `fetch`"));
    assert!(err("scope:global").contains("unknown scope"));
    assert!(err("is:old").contains("unknown `is:` value"));
    assert!(err("a:").contains("`a:` needs a value"));
}
