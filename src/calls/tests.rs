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
        read("GET /v2/cloudimages\nhello world\nGET /a /b\nFETCH /x\nGET /v2 HTTP/1.1 200 OK 7\n");
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

#[test]
fn what_real_files_hold() {
    // Provider versions that write a level where the log id would be, and an SDK that writes
    // another id on the answer than on the request: paired in order.
    let r = read(
        "x: [DEBUG] API Request URL: GET https://ims.x.myhuaweicloud.com/v2/cloudimages\n\
         x: [DEBUG] API Response Code: 200\n\
         x: [DEBUG] [1764465123001-0] API Request URL: DELETE https://ims.x.myhuaweicloud.com/v2/images/a\n\
         x: [DEBUG] [1764465123209-0] API Response Code: 403\n",
    );
    assert_eq!(r.form, Form::Terraform);
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
    // Colours, JSON lines (TF_LOG=JSON), a curl transcript inside the log.
    let r = read(
        "\u{1b}[36mx: [DEBUG] [1-1] API Request URL: GET https://ims.x.myhuaweicloud.com/v2/cloudimages\u{1b}[0m\n\
         {\"@level\":\"debug\",\"@message\":\"[DEBUG] [2-1] API Request URL: PUT https://ims.x.myhuaweicloud.com/v1/cloudimages/a/upload\\nAPI Request Headers:\\nAccept: */*\",\"@module\":\"provider\"}\n\
         > GET /v1/cloudimages/quota HTTP/1.1\n> Host: ims.x.myhuaweicloud.com\n< HTTP/1.1 200 OK\n",
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
                "PUT https://ims.x.myhuaweicloud.com/v1/cloudimages/a/upload".into(),
                1,
                0
            ),
            (
                "GET https://ims.x.myhuaweicloud.com/v1/cloudimages/quota".into(),
                1,
                0
            ),
        ]
    );
    let r = read(
        "{\"@level\":\"info\",\"@message\":\"[DEBUG] HuaweiCloud Request URL: GET https://ims.x.myhuaweicloud.com/v2/cloudimages\"}\n",
    );
    assert_eq!(r.form, Form::Terraform);
    // curl through a proxy (the URL in the request line), and `100 Continue` before the answer.
    let r = read(
        "> POST http://ims.x.myhuaweicloud.com/v1/cloudimages/members HTTP/1.1\n> Host: ims.x.myhuaweicloud.com\n< HTTP/1.1 100 Continue\n< HTTP/1.1 403 Forbidden\n",
    );
    assert_eq!(
        calls(&r),
        [(
            "POST http://ims.x.myhuaweicloud.com/v1/cloudimages/members".into(),
            1,
            1
        )]
    );
    // Plain lines with a reason phrase and a trailing comment; credentials and queries never
    // kept, nor shown in what is not a call.
    let r = read(
        "GET /v2/cloudimages HTTP/1.1 403 Forbidden\nGET https://user:S3cret@ims.x.myhuaweicloud.com/v1/cloudimages/quota?sig=TOPSECRET  # quota\n\
         not a call https://ims.x.myhuaweicloud.com/x?sig=TOPSECRET2\n",
    );
    assert_eq!(
        calls(&r),
        [
            ("GET /v2/cloudimages".into(), 1, 1),
            (
                "GET https://ims.x.myhuaweicloud.com/v1/cloudimages/quota".into(),
                1,
                0
            ),
        ]
    );
    assert_eq!(
        r.not_calls[0].text,
        "not a call https://ims.x.myhuaweicloud.com/x?…"
    );
}

#[test]
fn files_that_are_not_text_are_said_to_be_so() {
    for (bytes, kind) in [
        (&[0x1f, 0x8b, 8, 0, 0][..], NotText::Gzip),
        (&[0xff, 0xfe, b'G', 0, b'E', 0][..], NotText::Utf16),
        (&b"GET /v2\0\0\0"[..], NotText::Binary),
    ] {
        let e = read_calls_from("t", bytes, &mut |_| {}).unwrap_err();
        assert!(matches!(e, CallsReason::NotText(k) if k == kind), "{e:?}");
    }
}

#[test]
fn unanswered_log_ids_stay_bounded() {
    // Requests never answered: the pairing table keeps the last few thousand, and a late
    // answer to a recent one is still paired.
    let mut text = String::new();
    for n in 0..20_000 {
        text.push_str(&format!("x: [DEBUG] [{n}-1] API Request URL: GET https://ims.x.myhuaweicloud.com/v2/images/{}\n", n % 3));
    }
    text.push_str("x: [DEBUG] [19999-1] API Response Code: 403\n");
    let r = read(&text);
    assert_eq!(r.read, 20_000);
    assert_eq!(r.calls.iter().map(|c| c.refused).sum::<usize>(), 1);
    assert_eq!(r.calls[19_999 % 3].refused, 1);
}
