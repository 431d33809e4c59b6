//! The forms read, from text in memory.

use super::*;

fn read(text: &str) -> Recording {
    read_calls_in("t", text).unwrap()
}

fn calls(r: &Recording) -> Vec<(String, usize, usize)> {
    r.calls
        .iter()
        .map(|c| (c.call(), c.count, c.refused))
        .collect()
}

#[test]
fn plain_lines_in_any_case_with_comments_versions_and_statuses() {
    let r = read(
        "# from the audit log\n\n  get\thttps://ims.x.myhuaweicloud.com/v2/cloudimages?limit=1  \n\
         GET /v2/cloudimages?limit=2 HTTP/1.1\nDELETE /v2/images/ab 403\nPOST /v1/cloudimages/members HTTP/2 401\r\n\
         GET https://ims.x.myhuaweicloud.com/v2/cloudimages#top\n",
    );
    assert_eq!(r.form, Form::Plain);
    assert_eq!(r.read, 5);
    assert_eq!(
        calls(&r),
        [
            (
                "GET https://ims.x.myhuaweicloud.com/v2/cloudimages".into(),
                2,
                0
            ),
            ("GET /v2/cloudimages".into(), 1, 0),
            ("DELETE /v2/images/ab".into(), 1, 1),
            ("POST /v1/cloudimages/members".into(), 1, 1),
        ]
    );
    assert_eq!(r.calls[0].first, Location::Line(3));
    assert_eq!(r.not_call_count, 0);
}

#[test]
fn a_plain_line_that_is_no_call_is_named_with_its_line() {
    let r =
        read("GET /v2/cloudimages\nhello world\nGET /a /b\nFETCH /x\nGET /v2 HTTP/1.1 200 extra\n");
    assert_eq!(r.read, 1);
    assert_eq!(r.not_call_count, 4);
    assert_eq!(
        r.not_calls[0],
        NotACall {
            at: Location::Line(2),
            text: "hello world".into()
        }
    );
    // Nothing but junk: no call at all.
    let e = read_calls_in("t", "hello\nworld\n").unwrap_err();
    assert!(matches!(
        e.reason,
        CallsReason::NoCalls {
            terraform_log: false,
            first: Some(NotACall {
                at: Location::Line(1),
                ..
            })
        }
    ));
    let e = read_calls_in("t", "\n# only a comment\n").unwrap_err();
    assert!(matches!(e.reason, CallsReason::NoCalls { first: None, .. }));
}

#[test]
fn terraform_logs_pair_answers_by_log_id_and_in_order() {
    // Newer providers: answers by log id, out of order; bodies and headers in between.
    let r = read(
        "2026-11-30T09:12:01.512+0800 [INFO]  Terraform version: 1.9.8\n\
         x [DEBUG] provider.terraform-provider-huaweicloud_v1.71.2: [DEBUG] [1-1] API Request URL: POST https://ims.x.myhuaweicloud.com/v2/cloudimages/action\n\
         x [DEBUG] provider.terraform-provider-huaweicloud_v1.71.2: [DEBUG] [1-2] API Request URL: GET https://ims.x.myhuaweicloud.com/v2/cloudimages?id=1: timestamp=2026-11-30T09:12:04.011+0800\n\
         \"description\": \"GET /v2/not/a/call\"\n\
         x [DEBUG] provider.terraform-provider-huaweicloud_v1.71.2: [DEBUG] [1-2] API Response Code: 200\n\
         x [DEBUG] provider.terraform-provider-huaweicloud_v1.71.2: [DEBUG] [1-1] API Response Code: 403\n",
    );
    assert_eq!(r.form, Form::Terraform);
    assert_eq!(
        calls(&r),
        [
            (
                "POST https://ims.x.myhuaweicloud.com/v2/cloudimages/action".into(),
                1,
                1
            ),
            (
                "GET https://ims.x.myhuaweicloud.com/v2/cloudimages".into(),
                1,
                0
            ),
        ]
    );
    assert_eq!(r.calls[0].first, Location::Line(2));
    // Older providers: no log id, each answer after its request.
    let r = read(
        "t [DEBUG] HuaweiCloud Request URL: GET https://ims.x.myhuaweicloud.com/v2/cloudimages\n\
         t [DEBUG] HuaweiCloud Response Code: 200\n\
         t [DEBUG] HuaweiCloud Request URL: DELETE https://ims.x.myhuaweicloud.com/v2/images/a: timestamp=1\n\
         t [DEBUG] HuaweiCloud Response Code: 401: timestamp=1\n",
    );
    assert_eq!(
        calls(&r),
        [
            (
                "GET https://ims.x.myhuaweicloud.com/v2/cloudimages".into(),
                1,
                0
            ),
            (
                "DELETE https://ims.x.myhuaweicloud.com/v2/images/a".into(),
                1,
                1
            ),
        ]
    );
    // A Terraform log without TF_LOG=DEBUG names no request.
    let e = read_calls_in(
        "t",
        "2026 [INFO]  Terraform version: 1.9.8\n2026 [INFO] applying\n",
    )
    .unwrap_err();
    assert!(matches!(
        e.reason,
        CallsReason::NoCalls {
            terraform_log: true,
            ..
        }
    ));
}

#[test]
fn curl_transcripts_take_the_host_and_the_answer() {
    let r = read(
        "* Connected to ims.x.myhuaweicloud.com\n> PUT /v1/cloudimages/a/upload HTTP/1.1\n> Host: ims.x.myhuaweicloud.com\n> Accept: */*\n>\n< HTTP/1.1 403 Forbidden\n< Server: x\n{\"error\":1}\n\
         > GET /v1/cloudimages/os_version?x=1 HTTP/2\n> host: ims.x.myhuaweicloud.com\n< HTTP/2 200\n> DELETE /v2/images/b HTTP/1.1\n",
    );
    assert_eq!(r.form, Form::Curl);
    assert_eq!(
        calls(&r),
        [
            (
                "PUT https://ims.x.myhuaweicloud.com/v1/cloudimages/a/upload".into(),
                1,
                1
            ),
            (
                "GET https://ims.x.myhuaweicloud.com/v1/cloudimages/os_version".into(),
                1,
                0
            ),
            ("DELETE /v2/images/b".into(), 1, 0),
        ]
    );
    assert_eq!(r.calls[0].first, Location::Line(2));
}

#[test]
fn har_entries_with_their_answers() {
    let r = read(
        "\u{feff}  {\"log\":{\"version\":\"1.2\",\"entries\":[\
         {\"request\":{\"method\":\"GET\",\"url\":\"https://ims.x.myhuaweicloud.com/v2/cloudimages?a=1\"},\"response\":{\"status\":200}},\
         {\"request\":{\"method\":\"POST\",\"url\":\"https://ims.x.myhuaweicloud.com/v1/cloudimages/members\"},\"response\":{\"status\":403}},\
         {\"request\":{\"method\":\"GET\"},\"response\":{\"status\":0}},\
         {\"request\":{\"method\":\"GET\",\"url\":\"https://ims.x.myhuaweicloud.com/v2/cloudimages?a=2\"},\"response\":{\"status\":0}}]}}",
    );
    assert_eq!(r.form, Form::Har);
    assert_eq!(
        calls(&r),
        [
            (
                "GET https://ims.x.myhuaweicloud.com/v2/cloudimages".into(),
                2,
                0
            ),
            (
                "POST https://ims.x.myhuaweicloud.com/v1/cloudimages/members".into(),
                1,
                1
            ),
        ]
    );
    assert_eq!(r.calls[1].first, Location::Entry(2));
    assert_eq!(r.not_calls[0].at, Location::Entry(3));
    let e = read_calls_in("t", "{\"log\": {}}").unwrap_err();
    assert!(matches!(e.reason, CallsReason::NotHar));
    let e = read_calls_in("t", "{\"log\": ").unwrap_err();
    assert!(matches!(e.reason, CallsReason::HarNotJson { line: 1, .. }));
}

#[test]
fn long_lines_and_bad_bytes_are_survived() {
    // A response body of 10 MB on one line, and bytes that are not UTF-8.
    let mut text = Vec::new();
    text.extend_from_slice(b"GET /v2/cloudimages\n");
    text.extend(std::iter::repeat_n(b'x', 10 << 20));
    text.extend_from_slice(b"\n\xff\xfe GET\nDELETE /v2/images/a\n");
    let r = read_calls_from("t", &text[..], &mut |_| {}).unwrap();
    assert_eq!(r.read, 2);
    assert_eq!(r.not_call_count, 2);
    assert!(r.not_calls[0].text.chars().count() <= 120);
}

#[test]
fn progress_is_told_as_the_reading_goes() {
    let text = "GET /v2/cloudimages\n".repeat(100_000);
    let mut told = Vec::new();
    let r = read_calls_from("t", text.as_bytes(), &mut |p| told.push(p)).unwrap();
    assert_eq!((r.read, r.calls.len()), (100_000, 1));
    assert!(told.len() >= 5, "{}", told.len());
    assert!(
        told.windows(2)
            .all(|w| w[0].bytes <= w[1].bytes && w[0].calls <= w[1].calls)
    );
}
