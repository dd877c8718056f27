use super::*;
use crate::output::sweep_svg::sweep_svg;
use crate::sweep::fixtures::cpu_report;

#[test]
fn the_table_has_a_row_per_worker_count_and_the_fit() {
    let text = sweep_table(&cpu_report(), false);
    assert!(
        text.starts_with("parlab sweep · cpu · 16 tasks × 20.0 ms · 4 worker counts · steal\n")
    );
    assert!(text.contains("machine     Test CPU · 2 cores / 4 CPUs"));
    assert!(text.contains("serial      320 ms median (min 319 ms, max 322 ms)"));
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("4 "))
        .unwrap();
    assert_eq!(
        row,
        "      4     100 ms    99.0 ms     102 ms    80.0 ms    3.20×   80.0 %   0.083    3.18×"
    );
    assert!(text.contains("      1     322 ms"));
    assert!(text.contains("       –"), "W = 1 has no Karp–Flatt");
    assert!(text.contains("knee        4 workers"));
    assert!(text.contains("model       cores: "));
    assert!(text.contains("check       results match"));
    assert!(!text.contains('\x1b'));
}

#[test]
fn karp_flatt_prints_a_dash_or_three_decimals_without_negative_zero() {
    assert_eq!(karp_flatt_text(None), "–");
    assert_eq!(karp_flatt_text(Some(-0.0001)), "0.000");
    assert_eq!(karp_flatt_text(Some(-0.02)), "-0.020");
    assert_eq!(karp_flatt_text(Some(0.3456)), "0.346");
}

#[test]
fn json_has_every_documented_field() {
    let value: serde_json::Value =
        serde_json::from_str(&sweep_json(&cpu_report()).unwrap()).unwrap();
    assert_eq!(value["serial_s"], 0.32);
    assert_eq!(value["knee_workers"], 4);
    assert_eq!(value["model"], "cores");
    assert_eq!(value["results_match"], true);
    assert_eq!(value["machine"]["logical_cpus"], 4);
    assert!(value["amdahl_serial_fraction"].as_f64().unwrap() > 0.0);
    let rows = value["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for field in [
        "workers",
        "parallel_s",
        "min_s",
        "max_s",
        "ideal_parallel_s",
        "speedup",
        "efficiency",
        "karp_flatt",
        "amdahl_speedup",
    ] {
        assert!(rows.iter().all(|r| r.get(field).is_some()), "{field}");
    }
    assert!(rows[0]["karp_flatt"].is_null());
    assert_eq!(rows[2]["parallel_s"], 0.1);
    assert_eq!(rows[3]["ideal_model"], "cores");
}

#[test]
fn csv_has_a_header_and_one_line_per_worker_count() {
    let text = sweep_csv(&cpu_report()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "workload,tasks,task_ms,repeat,serial_s,workers,parallel_s,min_s,max_s,ideal_parallel_s,speedup,efficiency,karp_flatt,amdahl_speedup,results_match,schedule,chunk,scaling,row_tasks,row_serial_s,weak_efficiency"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "cpu,16,20,3,0.32,1,0.322,0.321,0.324,0.32,0.9938,0.9938,,1.0000,true,steal,,strong,16,0.32,"
        )
    );
    assert_eq!(lines.count(), 3);
}

#[test]
fn markdown_is_a_table_with_the_fit_below() {
    let text = sweep_markdown(&cpu_report());
    assert!(text.starts_with("**cpu · 16 tasks × 20.0 ms · 4 worker counts · steal** on Test CPU"));
    assert!(text.contains("best speedup **3.20×** at 4 workers"));
    let table: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(table.len(), 2 + 4);
    assert!(table.iter().all(|l| l.matches('|').count() == 10));
    assert!(text.contains("\n- knee: 4 workers"));
}

fn group<'a>(doc: &'a roxmltree::Document, id: &str) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no group {id}"))
}

fn count(node: roxmltree::Node, tag: &str) -> usize {
    node.descendants().filter(|n| n.has_tag_name(tag)).count()
}

#[test]
fn the_svg_is_well_formed_and_has_the_four_series_and_the_markers() {
    let text = sweep_svg(&cpu_report());
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(count(group(&doc, "measured-points"), "circle"), 4);
    for series in ["measured-line", "ideal", "amdahl"] {
        assert_eq!(count(group(&doc, series), "polyline"), 1, "{series}");
    }
    let points = group(&doc, "amdahl")
        .descendants()
        .find_map(|n| n.attribute("points"))
        .unwrap();
    assert_eq!(points.split(' ').count(), 97);
    let markers = group(&doc, "core-markers");
    assert_eq!(count(markers, "line"), 2);
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    for needle in [
        "2 cores",
        "4 CPUs",
        "workers (threads in the pool)",
        "3.20×",
    ] {
        assert!(texts.iter().any(|t| t.contains(needle)), "{needle}");
    }
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Test CPU · 2 cores / 4 CPUs"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Speedup over workers") && t.contains("(cpu)"))
    );
    assert!(count(group(&doc, "legend"), "text") == 4);
}

#[test]
fn svg_text_from_the_machine_is_escaped() {
    let mut report = cpu_report();
    report.machine.cpu_brand = "R&D <CPU> \"x\"".to_string();
    let text = sweep_svg(&report);
    assert!(text.contains("R&amp;D &lt;CPU&gt; &quot;x&quot;"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.text().is_some_and(|t| t.contains("R&D <CPU>")))
    );
}
