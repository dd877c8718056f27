//! Stepping through an enum's variants in declaration order, wrapping: the
//! lab's keys that cycle a choice (workload, pool, schedule, theme, the
//! settings rows). The variant list comes from `strum::VariantArray`, so a
//! new variant joins every cycle, every `--help` list and every table
//! without a hand-written `ALL` to forget.

use strum::VariantArray;

/// A choice the lab can step through.
pub trait Cycle: VariantArray + PartialEq + Copy {
    /// The next variant, wrapping after the last.
    fn next(self) -> Self {
        self.step(1)
    }

    /// The previous variant, wrapping before the first.
    fn previous(self) -> Self {
        self.step(Self::VARIANTS.len() - 1)
    }

    /// The variant `by` places on, wrapping.
    fn step(self, by: usize) -> Self {
        let all = Self::VARIANTS;
        let at = all.iter().position(|v| *v == self).unwrap_or(0);
        all[(at + by) % all.len()]
    }
}

impl<T: VariantArray + PartialEq + Copy> Cycle for T {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, strum::VariantArray)]
    enum Three {
        A,
        B,
        C,
    }

    #[test]
    fn steps_wrap_both_ways() {
        assert_eq!(Three::A.next(), Three::B);
        assert_eq!(Three::C.next(), Three::A);
        assert_eq!(Three::A.previous(), Three::C);
        assert_eq!(Three::B.previous(), Three::A);
    }
}
