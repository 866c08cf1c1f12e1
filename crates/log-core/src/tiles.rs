//! C2SP tlog-tiles paths and entry bundles: hash tiles `tile/<L>/<N>[.p/<W>]`, entry bundles
//! `tile/entries/<N>[.p/<W>]`, and the `checkpoint` file.
//!
//! `tlog_tiles` 0.2.0 writes Go sumdb paths (`tile/8/0/000`, with the height and `data` for
//! record tiles) and has no entry-bundle codec, so the C2SP paths and bundles are written here.

use crate::error::{LogError, Result};
use crate::tree::TILE_WIDTH;

/// The name of the checkpoint file at the root of a log directory.
pub const CHECKPOINT_FILE: &str = "checkpoint";

/// The `<N>` part of a tile path: 3-digit groups, all but the last prefixed by `x`.
fn index_path(mut n: u64) -> String {
    let mut s = format!("{:03}", n % 1000);
    while n >= 1000 {
        n /= 1000;
        s = format!("x{:03}/{s}", n % 1000);
    }
    s
}

fn width_suffix(width: u32) -> String {
    if u64::from(width) == TILE_WIDTH {
        String::new()
    } else {
        format!(".p/{width}")
    }
}

/// The path of hash tile `n` at tile level `level` with `width` hashes.
pub fn tile_path(level: u8, n: u64, width: u32) -> String {
    format!("tile/{level}/{}{}", index_path(n), width_suffix(width))
}

/// The path of entry bundle `n` holding `width` entries.
pub fn entries_path(n: u64, width: u32) -> String {
    format!("tile/entries/{}{}", index_path(n), width_suffix(width))
}

/// Appends one entry to a bundle: big-endian u16 length, then the bytes.
pub fn encode_entry(bundle: &mut Vec<u8>, entry: &[u8]) -> Result<()> {
    let len =
        u16::try_from(entry.len()).map_err(|_| LogError::EntryTooLarge { len: entry.len() })?;
    bundle.extend_from_slice(&len.to_be_bytes());
    bundle.extend_from_slice(entry);
    Ok(())
}

/// Splits an entry bundle into its entries, naming `path` in errors.
pub fn decode_bundle<'a>(path: &str, data: &'a [u8]) -> Result<Vec<&'a [u8]>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(LogError::Tile {
                path: path.to_owned(),
                reason: format!("truncated length prefix after entry {}", out.len()),
            });
        }
        let len = u16::from_be_bytes([rest[0], rest[1]]) as usize;
        if rest.len() < 2 + len {
            return Err(LogError::Tile {
                path: path.to_owned(),
                reason: format!(
                    "entry {} claims {len} bytes but only {} remain",
                    out.len(),
                    rest.len() - 2
                ),
            });
        }
        out.push(&rest[2..2 + len]);
        rest = &rest[2 + len..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_tlog_tiles() {
        assert_eq!(tile_path(0, 0, 256), "tile/0/000");
        assert_eq!(tile_path(1, 1234067, 256), "tile/1/x001/x234/067");
        assert_eq!(tile_path(0, 7, 3), "tile/0/007.p/3");
        assert_eq!(entries_path(1000, 255), "tile/entries/x001/000.p/255");
    }

    #[test]
    fn bundles_round_trip_and_reject_truncation() {
        let mut b = Vec::new();
        encode_entry(&mut b, b"abc").unwrap();
        encode_entry(&mut b, b"").unwrap();
        assert_eq!(b, [0, 3, b'a', b'b', b'c', 0, 0]);
        assert_eq!(decode_bundle("x", &b).unwrap(), vec![&b"abc"[..], &b""[..]]);
        assert!(decode_bundle("x", &b[..4]).is_err());
        assert!(encode_entry(&mut b, &vec![0; 70_000]).is_err());
    }
}
