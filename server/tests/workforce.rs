//! The organisation's structure over real HTTP, on SQLite and PostgreSQL:
//! an administrator imports units and the employee list; a second list
//! moves people and marks leavers; files with a circle, an unknown parent,
//! a repeated address, an unknown unit or too many megabytes are refused
//! with every problem by row, and nothing of them is imported. Other roles
//! and other organisations see nothing of it.

use crate::common;

use common::{web, TestApp};

async fn upload(app: &TestApp, cookie: &String, path: &str, csv: Vec<u8>) -> (u16, String) {
    let part = reqwest::multipart::Part::bytes(csv).file_name("structure.csv").mime_str("text/csv").expect("mime");
    let res = app.client.post(format!("{}{path}", app.base)).header("cookie", cookie).header("origin", &app.base).multipart(reqwest::multipart::Form::new().part("file", part)).send().await.expect("upload");
    (res.status().as_u16(), res.text().await.expect("body"))
}

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::any::AnyPoolOptions::new().max_connections(1).connect(app.db.url.expose()).await.expect("connect");
    let one = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect(sql) }
    };
    let c = (one("SELECT COUNT(*) FROM org_units").await, one("SELECT COUNT(*) FROM employees").await, one("SELECT COUNT(*) FROM employees WHERE left_at IS NOT NULL").await);
    pool.close().await;
    c
}

const UNITS: &str = "unit,parent\nQuillon Security,\nSOC,Quillon Security\nRed team,Quillon Security\nHR,\n";

fn employees(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut csv = String::from("email,name,unit,location,tenure_band\n");
    for (email, unit) in rows {
        csv.push_str(&format!("{email},Person {email},{unit},Berlin,1-3 years\n"));
    }
    csv.into_bytes()
}

on_both_databases! {
    async fn an_administrator_imports_units_and_employees_and_a_new_list_moves_and_marks_leavers(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        let (status, body) = upload(&app, &admin, "/workforce/structure/units", UNITS.as_bytes().to_vec()).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("4 units added, 0 moved"), "{body}");
        let (status, body) = upload(&app, &admin, "/workforce/structure/employees", employees(&[("a@q.example", "SOC"), ("b@q.example", "SOC"), ("c@q.example", "Red team"), ("d@q.example", "HR")])).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("4 added, 0 moved, 0 updated, 0 marked as having left"), "{body}");
        let (_, _, page) = web::get(&app, Some(&admin), "/workforce/structure").await;
        assert!(page.contains("— SOC") && page.contains("<td>3</td>"), "Security counts the SOC and the Red team: {page}");

        // The next list: b moved to the Red team, d left, e joined.
        let (status, body) = upload(&app, &admin, "/workforce/structure/employees", employees(&[("a@q.example", "SOC"), ("b@q.example", "Red team"), ("c@q.example", "Red team"), ("e@q.example", "HR")])).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("1 added, 1 moved, 0 updated, 1 marked as having left, 0 back"), "{body}");
        assert_eq!(counts(&app).await, (4, 5, 1));
        // d is back in a later list.
        let (_, body) = upload(&app, &admin, "/workforce/structure/employees", employees(&[("a@q.example", "SOC"), ("b@q.example", "Red team"), ("c@q.example", "Red team"), ("d@q.example", "HR"), ("e@q.example", "HR")])).await;
        assert!(body.contains("0 added, 0 moved, 0 updated, 0 marked as having left, 1 back"), "{body}");

        // A unit moves under another; moving Security below the SOC would be a circle.
        let (status, body) = upload(&app, &admin, "/workforce/structure/units", b"unit,parent\nHR,Quillon Security\n".to_vec()).await;
        assert_eq!((status, body.contains("0 units added, 1 moved")), (200, true), "{body}");
        let (status, body) = upload(&app, &admin, "/workforce/structure/units", b"unit,parent\nQuillon Security,SOC\n".to_vec()).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Row 2") && body.contains("circle"), "{body}");

        // Audited.
        let (_, _, audit) = web::get(&app, Some(&admin), "/admin/audit.csv").await;
        assert!(audit.matches("structure.").count() >= 4 || audit.to_lowercase().contains("structure"), "{audit}");

        // Other roles and organisations.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        let (status, _, _) = web::get(&app, Some(&recruiter), "/workforce/structure").await;
        assert_eq!(status, 403);
        let (status, _) = upload(&app, &recruiter, "/workforce/structure/employees", employees(&[("x@q.example", "SOC")])).await;
        assert_eq!(status, 403);
        let admin_b = web::login(&app, web::ADMIN_B).await;
        let (status, _, page_b) = web::get(&app, Some(&admin_b), "/workforce/structure").await;
        assert_eq!(status, 200);
        assert!(!page_b.contains("Quillon") && page_b.contains("No units yet"), "{page_b}");
        assert_eq!(counts(&app).await, (4, 5, 0));
    }

    async fn a_file_with_any_problem_imports_nothing_and_names_every_row(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        assert_eq!(upload(&app, &admin, "/workforce/structure/units", UNITS.as_bytes().to_vec()).await.0, 200);
        assert_eq!(upload(&app, &admin, "/workforce/structure/employees", employees(&[("a@q.example", "SOC")])).await.0, 200);
        let before = counts(&app).await;
        let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
            ("/workforce/structure/units", b"unit,parent\nNew,\nA,B\nB,A\nC,Nowhere\nNew,\n".to_vec(), vec!["Row 3", "Row 4", "circle", "Row 5", "Nowhere", "Row 6", "already in row 2"]),
            ("/workforce/structure/employees", employees(&[("x@q.example", "SOC"), ("X@q.example", "HR"), ("y@q.example", "Nowhere")]), vec!["Row 3", "already in row 2", "Row 4", "Nowhere"]),
            ("/workforce/structure/employees", b"email,name,unit\nnot-an-address,N,SOC\n,N,SOC\n".to_vec(), vec!["Row 2", "Row 3"]),
            ("/workforce/structure/employees", b"mail;who\nx;y\n".to_vec(), vec!["email,name,unit"]),
        ];
        for (path, file, words) in cases {
            let (status, body) = upload(&app, &admin, path, file).await;
            assert_eq!(status, 422, "{path}: {body}");
            for w in words {
                assert!(body.contains(w), "{path}: {w:?} in {body}");
            }
            assert_eq!(counts(&app).await, before, "{path}: nothing half-imported");
        }
        // Ten megabytes of rows.
        let mut big = String::from("email,name,unit\n");
        let mut n = 0;
        while big.len() < 10 * 1024 * 1024 {
            big.push_str(&format!("person{n}@q.example,Person number {n} with a long name,SOC\n"));
            n += 1;
        }
        // Sent over a raw connection: the server may answer before the whole body is sent.
        let boundary = "vigil-test-boundary";
        let mut multipart = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n").into_bytes();
        multipart.extend(big.into_bytes());
        multipart.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let (status, body) = common::raw_post(&app, "/workforce/structure/employees", &[("Cookie", &admin), ("Origin", &app.base), ("Content-Type", &content_type)], &multipart).await;
        assert!(status == 413 || status == 422, "{status}: {body:.300}");
        assert!(body.contains("MB"), "{body:.300}");
        assert_eq!(counts(&app).await, before);
    }

    async fn an_administrator_edits_the_structure_in_the_app(db: Db) {
        let Some(app) = common::spawn_app(db).await else { return };
        web::people(&app).await;
        let admin = web::login(&app, web::ADMIN_A).await;
        upload(&app, &admin, "/workforce/structure/units", UNITS.as_bytes().to_vec()).await;
        upload(&app, &admin, "/workforce/structure/employees", employees(&[("a@q.example", "SOC"), ("b@q.example", "SOC")])).await;
        // A new unit inside the SOC, then the Red team moved under it.
        let (status, location, body) = web::post(&app, Some(&admin), "/workforce/structure/unit", &[("name", "Night shift"), ("parent", "SOC")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/workforce/structure?saved=unit")), "{body}");
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/unit", &[("name", "Red team"), ("parent", "Night shift")]).await.0, 303);
        let (_, _, page) = web::get(&app, Some(&admin), "/workforce/structure").await;
        assert!(page.contains("— — Night shift") && page.contains("— — — Red team"), "{page}");
        // A circle is refused by row, as in a file; an unknown parent too.
        let (status, _, body) = web::post(&app, Some(&admin), "/workforce/structure/unit", &[("name", "SOC"), ("parent", "Red team")]).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Row 2"), "{body}");
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/unit", &[("name", "X"), ("parent", "Nowhere")]).await.0, 422);
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/unit", &[("name", " "), ("parent", "")]).await.0, 422);
        // An employee moved, another marked as having left; an unknown address is refused.
        let (status, location, _) = web::post(&app, Some(&admin), "/workforce/structure/employee", &[("email", "A@q.example"), ("unit", "Night shift")]).await;
        assert_eq!((status, location.as_deref()), (303, Some("/workforce/structure?saved=employee")));
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/employee", &[("email", "b@q.example"), ("unit", "")]).await.0, 303);
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/employee", &[("email", "b@q.example"), ("unit", "")]).await.0, 422, "already left");
        assert_eq!(web::post(&app, Some(&admin), "/workforce/structure/employee", &[("email", "a@q.example"), ("unit", "Nowhere")]).await.0, 422);
        let org = web::people_org(&app).await;
        let people = app.db.store.employees(&org).await.expect("employees");
        let night = app.db.store.org_units(&org).await.expect("units").into_iter().find(|u| u.name == "Night shift").expect("unit").id;
        assert!(people.iter().any(|e| e.email == "a@q.example" && e.unit_id == night && e.left_at.is_none()));
        assert!(people.iter().any(|e| e.email == "b@q.example" && e.left_at.is_some()));
        let audit = app.db.store.audit_log(&org, 50).await.expect("audit");
        assert_eq!(audit.iter().filter(|a| a.action == "structure.employee_changed").count(), 2);
        // Other roles may not.
        let recruiter = web::login(&app, web::RECRUITER_A).await;
        assert_eq!(web::post(&app, Some(&recruiter), "/workforce/structure/unit", &[("name", "Z"), ("parent", "")]).await.0, 403);
    }
}
