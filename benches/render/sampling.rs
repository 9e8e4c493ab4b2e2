//! Timing samples and their percentiles: one sample per timed frame on both clocks, sides run
//! in alternating blocks, and what a figure reports.

use std::time::{Duration, Instant};

use crate::{BASELINE_LABEL, BLOCK, WARMUP};

/// One timed sample: wall-clock time, and the CPU time of this thread, which leaves out the
/// time the scheduler gave to other processes (on a loaded 2-core machine that is most of the
/// tail).
#[derive(Clone, Copy)]
pub struct Sample {
    pub wall: Duration,
    pub cpu: Duration,
}

fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or_default(),
            u32::try_from(t.tv_nsec).unwrap_or_default(),
        )
    }
    #[cfg(not(unix))]
    Duration::ZERO
}

/// Times `work`.
pub fn timed(work: impl FnOnce()) -> Sample {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    work();
    let wall = wall.elapsed();
    Sample {
        wall,
        cpu: thread_cpu().saturating_sub(cpu),
    }
}

/// Percentiles of one side of a figure, in microseconds.
#[derive(Clone, Copy)]
pub struct Summary {
    pub median: f64,
    pub p95: f64,
    pub p99: f64,
    pub n: usize,
}

impl Summary {
    pub fn of(samples: impl Iterator<Item = Duration>) -> Self {
        let mut us: Vec<f64> = samples.map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        // Nearest rank: the smallest sample with at least that share of them at or below it.
        let rank = |q: f64| {
            let i = (q * us.len() as f64).ceil() as usize;
            us.get(i.saturating_sub(1)).copied().unwrap_or(f64::NAN)
        };
        Self {
            median: rank(0.5),
            p95: rank(0.95),
            p99: rank(0.99),
            n: us.len(),
        }
    }

    pub fn json(&self) -> String {
        format!(
            r#"{{"median":{:.3},"p95":{:.3},"p99":{:.3},"n":{}}}"#,
            self.median, self.p95, self.p99, self.n
        )
    }
}

/// Both clocks' percentiles of one side.
#[derive(Clone, Copy)]
pub struct Side {
    pub wall: Summary,
    pub cpu: Summary,
}

impl Side {
    pub fn of(samples: &[Sample]) -> Self {
        Self {
            wall: Summary::of(samples.iter().map(|s| s.wall)),
            cpu: Summary::of(samples.iter().map(|s| s.cpu)),
        }
    }
}

/// Which clock the JSON lines carry.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    pub fn of(self, side: &Side) -> &Summary {
        match self {
            Clock::Wall => &side.wall,
            Clock::Cpu => &side.cpu,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Clock::Wall => "wall-clock",
            Clock::Cpu => "thread CPU",
        }
    }
}

pub struct Figure {
    pub row: &'static str,
    pub label: &'static str,
    pub app: Side,
    pub baseline: Side,
}

impl Figure {
    pub fn json(&self, clock: Clock) -> String {
        let text = |s: &str| serde_json::to_string(s).expect("a string serialises");
        format!(
            r#"{{"row":{},"label":{},"unit":"us","app":{},"baseline":{},"baseline_label":{}}}"#,
            text(self.row),
            text(self.label),
            clock.of(&self.app).json(),
            clock.of(&self.baseline).json(),
            text(BASELINE_LABEL),
        )
    }
}

/// Runs each side `samples` times, `BLOCK` at a time in turn, after a warm-up; each closure
/// does its own untimed preparation and returns the timing of the work itself.
pub fn interleave(samples: usize, sides: &mut [&mut dyn FnMut() -> Sample]) -> Vec<Vec<Sample>> {
    for side in sides.iter_mut() {
        for _ in 0..WARMUP {
            side();
        }
    }
    let mut out = vec![Vec::with_capacity(samples); sides.len()];
    while out[0].len() < samples {
        let block = BLOCK.min(samples - out[0].len());
        for (side, times) in sides.iter_mut().zip(out.iter_mut()) {
            for _ in 0..block {
                times.push(side());
            }
        }
    }
    out
}
