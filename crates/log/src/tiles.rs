//! C2SP tlog-tiles layout on disk: hash tiles `tile/<L>/<N>[.p/<W>]`, entry bundles
//! `tile/entries/<N>[.p/<W>]`, and the `checkpoint` file.
//!
//! `tlog_tiles` 0.2.0 writes Go sumdb paths (`tile/8/0/000`, with the height and `data` for
//! record tiles) and has no entry-bundle codec, so the C2SP paths and bundles are written here.

use std::path::{Path, PathBuf};

use tlog_tiles::{Tile, TileReader};

use crate::error::{LogError, Result};
use crate::tree::{TILE_HEIGHT, TILE_WIDTH};

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

/// Writes a file through a temporary name and a rename, so readers never see half a file.
pub(crate) fn write_atomic(dir: &Path, rel: &str, data: &[u8]) -> Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| LogError::io(parent, e))?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, data).map_err(|e| LogError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| LogError::io(&path, e))
}

/// Reads a tile or bundle of width `width`, falling back to the full tile or to a wider partial
/// tile (both begin with the same bytes), as a tlog-tiles client does.
pub(crate) fn read_tile_file(
    dir: &Path,
    full: &str,
    width: u32,
) -> std::io::Result<(String, Vec<u8>)> {
    let exact = if u64::from(width) == TILE_WIDTH {
        full.to_owned()
    } else {
        format!("{full}.p/{width}")
    };
    match std::fs::read(dir.join(&exact)) {
        Ok(d) => return Ok((exact, d)),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound || u64::from(width) == TILE_WIDTH => {
            return Err(e);
        }
        Err(_) => {}
    }
    if let Ok(d) = std::fs::read(dir.join(full)) {
        return Ok((full.to_owned(), d));
    }
    let pdir: PathBuf = dir.join(format!("{full}.p"));
    let mut wider: Vec<u32> = std::fs::read_dir(&pdir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .filter(|&w| w > width)
        .collect();
    wider.sort_unstable();
    match wider.first() {
        Some(w) => {
            let rel = format!("{full}.p/{w}");
            let d = std::fs::read(dir.join(&rel))?;
            Ok((rel, d))
        }
        None => Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{exact} (nor the full tile nor a wider partial tile)"),
        )),
    }
}

/// Reads hash tiles from a log directory, for `tlog_tiles::TileHashReader`, which authenticates
/// every tile it reads against the checkpoint's root.
#[derive(Debug, Clone)]
pub struct DirTileReader {
    dir: PathBuf,
}

impl DirTileReader {
    /// A reader of the tiles under `dir`.
    pub fn new(dir: &Path) -> Self {
        DirTileReader {
            dir: dir.to_owned(),
        }
    }
}

impl TileReader for DirTileReader {
    fn height(&self) -> u8 {
        TILE_HEIGHT
    }

    fn read_tiles(&self, tiles: &[Tile]) -> Result<Vec<Vec<u8>>, tlog_tiles::Error> {
        tiles
            .iter()
            .map(|t| {
                let full = tile_path(t.level(), t.level_index(), TILE_WIDTH as u32);
                let want = t.width() as usize * 32;
                match read_tile_file(&self.dir, &full, t.width()) {
                    Ok((_, mut d)) if d.len() >= want => {
                        d.truncate(want);
                        Ok(d)
                    }
                    _ => Err(tlog_tiles::Error::InvalidTile),
                }
            })
            .collect()
    }

    fn save_tiles(&self, _tiles: &[Tile], _data: &[Vec<u8>]) {}
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
