//! Properties of the parsers (lesson files, worker lists, number options,
//! the command line) and of the statistics, over generated inputs.

use parlab::config::{
    MAX_TASK_MS, MAX_TASKS, MAX_WORKERS, MIN_TASK_MS, parse_serial_fraction, parse_task_ms,
    parse_tasks, parse_workers,
};
use parlab::lesson::{SHIPPED, parse_lesson};
use parlab::stats::{Summary, amdahl_speedup, fit_amdahl, ideal_parallel, speedup};
use parlab::sweep::{MAX_SWEEP_POINTS, parse_worker_list};
use proptest::prelude::*;
use std::time::Duration;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// A whole number is accepted exactly within its range, whatever its
    /// sign or size, and the error names the range.
    #[test]
    fn counts_are_taken_exactly_in_range(n in any::<i64>(), pad in "[ \t]{0,2}") {
        let text = format!("{pad}{n}{pad}");
        let tasks = parse_tasks(&text);
        prop_assert_eq!(tasks.is_ok(), (1..=MAX_TASKS as i64).contains(&n));
        if let Err(e) = tasks {
            prop_assert!(e.to_string().contains("from 1 to 10000000"), "{}", e);
        }
        let workers = parse_workers(&text);
        prop_assert_eq!(workers.is_ok(), (1..=MAX_WORKERS as i64).contains(&n));
    }

    /// Durations and fractions: any float text, NaN and infinities
    /// included, is accepted only within range.
    #[test]
    fn durations_and_fractions_are_taken_only_in_range(x in prop_oneof![
        any::<f64>(),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        -1.0f64..1.0,
        0.0f64..70_000.0,
    ]) {
        let text = x.to_string();
        prop_assert_eq!(parse_task_ms(&text).is_ok(), (MIN_TASK_MS..=MAX_TASK_MS).contains(&x));
        prop_assert_eq!(parse_serial_fraction(&text).is_ok(), (0.0..1.0).contains(&x));
    }

    /// Arbitrary text gets a value only where the trimmed text is that
    /// number within its range; otherwise one line that quotes the text.
    #[test]
    fn garbage_gets_a_number_in_range_or_a_one_line_refusal(text in "\\PC{0,40}") {
        let int = text.trim().parse::<i64>().ok();
        let float = text.trim().parse::<f64>().ok();
        for (result, max) in [(parse_tasks(&text), MAX_TASKS), (parse_workers(&text), MAX_WORKERS)] {
            match result {
                Ok(n) => prop_assert!(int == Some(n as i64) && (1..=max).contains(&n)),
                Err(e) => {
                    prop_assert!(int.is_none_or(|n| n < 1 || n > max as i64));
                    prop_assert_eq!(e.to_string().lines().count(), 1);
                }
            }
        }
        match parse_task_ms(&text) {
            Ok(ms) => prop_assert!(float == Some(ms) && (MIN_TASK_MS..=MAX_TASK_MS).contains(&ms)),
            Err(e) => prop_assert!(e.to_string().contains(&text), "{}", e),
        }
        match parse_serial_fraction(&text) {
            Ok(f) => prop_assert!(float == Some(f) && (0.0..1.0).contains(&f)),
            Err(e) => prop_assert!(float.is_none_or(|f| !(0.0..1.0).contains(&f)), "{}", e),
        }
    }

    /// On the command line, a number of either sign gets a range error or is
    /// taken: never "unexpected argument".
    #[test]
    fn negative_numbers_reach_the_range_check(
        n in any::<i32>(),
        option in prop::sample::select(vec!["--tasks", "--workers", "--task-ms", "--repeat", "--warmup"]),
    ) {
        let value = n.to_string();
        match parlab::cli::parse_from(["parlab", "run", option, value.as_str()]) {
            Ok(_) => prop_assert!(n > 0 || (option == "--warmup" && n == 0)),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(!text.contains("unexpected argument"), "{}", text);
                prop_assert!(text.contains("invalid value"), "{}", text);
            }
        }
    }

    /// A worker list is the sorted, deduplicated set of what it names, or a
    /// refusal; never more points than a sweep allows, never a count out of
    /// range.
    #[test]
    fn worker_lists_name_exactly_their_counts(
        items in prop::collection::vec(prop_oneof![
            (1usize..=1100).prop_map(|n| n.to_string()),
            (1usize..=40, 0usize..=40).prop_map(|(a, len)| format!("{a}..{}", a + len)),
            Just("-1".to_string()),
            Just("0".to_string()),
            Just("x".to_string()),
        ], 0..8),
    ) {
        let text = items.join(",");
        match parse_worker_list(&text) {
            Ok(counts) => {
                let counts = counts.0;
                prop_assert!(!counts.is_empty() && counts.len() <= MAX_SWEEP_POINTS);
                prop_assert!(counts.windows(2).all(|w| w[0] < w[1]), "{:?}", counts);
                prop_assert!(counts.iter().all(|c| (1..=MAX_WORKERS).contains(c)));
                for item in &items {
                    let first = item.split("..").next().unwrap_or_default();
                    let first: usize = first.parse().unwrap_or(0);
                    prop_assert!(counts.contains(&first), "{} missing from {:?}", item, counts);
                }
            }
            Err(e) => prop_assert_eq!(e.to_string().lines().count(), 1),
        }
    }

    /// Arbitrary text gives a sorted list of counts in range whose every
    /// count is written in the text, or a one-line refusal.
    #[test]
    fn garbage_gets_a_sorted_worker_list_or_a_one_line_refusal(text in "[0-9.,=\\- a-z]{0,30}") {
        match parse_worker_list(&text) {
            Ok(counts) => {
                let counts = counts.0;
                prop_assert!(!counts.is_empty() && counts.len() <= MAX_SWEEP_POINTS);
                prop_assert!(counts.windows(2).all(|w| w[0] < w[1]), "{:?}", counts);
                prop_assert!(counts.iter().all(|c| (1..=MAX_WORKERS).contains(c)));
                prop_assert!(text.chars().any(|c| c.is_ascii_digit()));
            }
            Err(e) => prop_assert_eq!(e.to_string().lines().count(), 1),
        }
    }

    /// A shipped lesson cut short or with a stretch replaced by garbage
    /// still parses or fails with one line that names the file, and any
    /// line number it gives lies inside the file.
    #[test]
    fn damaged_lessons_fail_with_a_line_inside_the_file(
        which in 0..SHIPPED.len(),
        at in any::<prop::sample::Index>(),
        len in 0usize..40,
        junk in "\\PC{0,12}",
    ) {
        let (file, source) = SHIPPED[which];
        let mut cut = at.index(source.len());
        while !source.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut end = (cut + len).min(source.len());
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let damaged = format!("{}{junk}{}", &source[..cut], &source[end..]);
        if let Err(e) = parse_lesson(file, &damaged) {
            let text = e.to_string();
            prop_assert!(text.starts_with(file), "{}", text);
            prop_assert_eq!(text.lines().count(), 1, "{}", text);
            if let Some(line) = e.line {
                prop_assert!(line >= 1 && line <= damaged.lines().count().max(1) + 1, "{}", text);
            }
        }
    }

    /// The median lies between the fastest and the slowest run, whatever
    /// their order.
    #[test]
    fn the_median_lies_between_min_and_max(mut runs in prop::collection::vec(0u64..10_000_000, 1..30)) {
        let durations: Vec<Duration> = runs.iter().map(|&n| Duration::from_nanos(n)).collect();
        let summary = Summary::of(&durations);
        prop_assert!(summary.min <= summary.median && summary.median <= summary.max);
        runs.reverse();
        let reversed: Vec<Duration> = runs.iter().map(|&n| Duration::from_nanos(n)).collect();
        prop_assert_eq!(Summary::of(&reversed).median, summary.median);
        prop_assert_eq!(summary.runs.len(), durations.len());
    }

    /// The ideal parallel time is never below the total over the lanes nor
    /// below the longest task, never above the serial total, and for equal
    /// tasks it is exactly the waves.
    #[test]
    fn the_ideal_is_bounded_by_its_model(
        tasks in prop::collection::vec(1u64..5_000_000, 1..60),
        workers in 1usize..64,
        cpus in prop::option::of(1usize..16),
    ) {
        let times: Vec<Duration> = tasks.iter().map(|&n| Duration::from_nanos(n)).collect();
        let ideal = ideal_parallel(&times, workers, cpus);
        let total: Duration = times.iter().sum();
        let longest = times.iter().max().copied().unwrap_or_default();
        let lanes = cpus.map_or(workers, |c| workers.min(c));
        prop_assert_eq!(ideal.lanes, lanes);
        prop_assert!(ideal.time <= total);
        prop_assert!(ideal.time >= longest);
        prop_assert!(ideal.time.as_nanos() * lanes as u128 >= total.as_nanos());
        let equal = vec![Duration::from_millis(7); times.len()];
        let waves = times.len().div_ceil(lanes) as u32;
        prop_assert_eq!(ideal_parallel(&equal, workers, cpus).time, Duration::from_millis(7) * waves);
    }

    /// Speedup is the ratio of the times, and an Amdahl fit of points made
    /// by Amdahl's law finds their serial fraction again.
    #[test]
    fn speedup_and_the_amdahl_fit_are_consistent(
        serial_ms in 1u64..100_000,
        parallel_ms in 1u64..100_000,
        fraction in 0.0f64..0.9,
    ) {
        let s = speedup(Duration::from_millis(serial_ms), Duration::from_millis(parallel_ms));
        prop_assert!((s * parallel_ms as f64 - serial_ms as f64).abs() < 1e-6 * serial_ms as f64);
        prop_assert_eq!(speedup(Duration::from_millis(serial_ms), Duration::ZERO), 0.0);
        let points: Vec<(usize, f64)> = [1, 2, 4, 8, 16]
            .iter()
            .map(|&w| (w, amdahl_speedup(fraction, w as f64)))
            .collect();
        prop_assert!((fit_amdahl(&points) - fraction).abs() < 1e-3);
    }
}
