//! The data a task is given and the result it hands back (`--payload-kb`).
//!
//! Every task reads the same input and returns a result of the same size
//! derived from it and from its index, so the result cannot be computed
//! without the input. Threads read one shared copy; a process pool has to
//! copy the input to its worker and the result back, which is the cost the
//! payload exists to show.

use super::tasks::mix;
use std::sync::Arc;

/// Most kilobytes of payload a task may carry (16 MiB).
pub const MAX_PAYLOAD_KB: usize = 16 * 1024;

/// The shared input of `kb` kilobytes: the same bytes in every run.
pub fn payload_input(kb: usize) -> Arc<[u8]> {
    (0..kb * 1024 / 8)
        .flat_map(|word| mix(word as u64).to_le_bytes())
        .collect()
}

/// Writes task `index`'s result for `input` into `out` (the input, word by
/// word, mixed with a key of the task) and returns its checksum.
pub fn payload_result(index: usize, input: &[u8], out: &mut Vec<u8>) -> u64 {
    let key = mix(index as u64 ^ 0x5EED);
    out.clear();
    out.reserve(input.len());
    let mut sum = 0u64;
    for chunk in input.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        let mixed = u64::from_le_bytes(word) ^ key;
        sum = sum.wrapping_add(mixed);
        out.extend_from_slice(&mixed.to_le_bytes()[..chunk.len()]);
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_result_depends_on_the_input_and_the_task() {
        let input = payload_input(2);
        assert_eq!(input.len(), 2048);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let sum = payload_result(3, &input, &mut a);
        assert_eq!(a.len(), input.len());
        assert_eq!(sum, payload_result(3, &input, &mut b));
        assert_eq!(a, b);
        assert_ne!(sum, payload_result(4, &input, &mut b));
        let mut other = input.to_vec();
        other[100] ^= 1;
        assert_ne!(sum, payload_result(3, &other, &mut b));
        assert!(payload_input(0).is_empty());
    }
}
