//! C2SP tlog-tiles files on disk: writing them atomically and reading hash tiles and entry
//! bundles of a log directory (the paths and the bundle codec are the core's).

use std::path::{Path, PathBuf};

pub use accord_log_core::tiles::*;
use accord_log_core::{LogError, Result, TILE_WIDTH};

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
fn read_tile_file(dir: &Path, full: &str, width: u32) -> std::io::Result<(String, Vec<u8>)> {
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

/// The number of hashes or entries a tile file's path says it holds: `W` for a partial tile
/// `….p/W`, else a full tile's 256.
pub fn declared_width(rel: &str) -> u32 {
    rel.rsplit_once(".p/")
        .and_then(|(_, w)| w.parse().ok())
        .unwrap_or(TILE_WIDTH as u32)
}

/// The first `width` hashes of hash tile `(level, n)` of `dir` and the path read (the exact
/// partial tile, else the full tile or a wider partial one), refusing a file whose length is
/// not exactly the hashes its path says it holds.
pub fn read_hash_tile(dir: &Path, level: u8, n: u64, width: u32) -> Result<(String, Vec<u8>)> {
    let full = tile_path(level, n, TILE_WIDTH as u32);
    let (path, mut data) = read_tile_file(dir, &full, width)
        .map_err(|e| LogError::io(dir.join(tile_path(level, n, width)), e))?;
    let declared = declared_width(&path) as usize * 32;
    if data.len() != declared {
        return Err(LogError::Tile {
            path,
            reason: format!(
                "holds {} bytes; its name says {} hashes, {declared} bytes",
                data.len(),
                declared / 32
            ),
        });
    }
    data.truncate(width as usize * 32);
    Ok((path, data))
}

/// The first `width` entries of entry bundle `n` of `dir` and the path read (the exact partial
/// bundle, else the full bundle or a wider partial one), refusing a bundle that does not hold
/// exactly the entries its path says, with no byte before, between or after them.
pub fn read_bundle(dir: &Path, n: u64, width: u32) -> Result<(String, Vec<Vec<u8>>)> {
    let (path, data) = read_tile_file(dir, &entries_path(n, TILE_WIDTH as u32), width)
        .map_err(|e| LogError::io(dir.join(entries_path(n, width)), e))?;
    let entries = decode_exact(&path, &data)?;
    if entries.len() < width as usize {
        return Err(LogError::Tile {
            path,
            reason: format!(
                "holds {} entries, the checkpoint needs {width}",
                entries.len()
            ),
        });
    }
    let entries = entries[..width as usize]
        .iter()
        .map(|e| e.to_vec())
        .collect();
    Ok((path, entries))
}

/// The entries of the bundle at `path`, which must be exactly as many as its name says.
pub fn decode_exact<'a>(path: &str, data: &'a [u8]) -> Result<Vec<&'a [u8]>> {
    let entries = decode_bundle(path, data)?;
    let declared = declared_width(path) as usize;
    if entries.len() != declared {
        return Err(LogError::Tile {
            path: path.to_owned(),
            reason: format!(
                "holds {} entries ({} bytes); its name says {declared}",
                entries.len(),
                data.len()
            ),
        });
    }
    Ok(entries)
}

/// Reads the files of a log directory, as a [`accord_log_core::monitor::TileSource`] (hash
/// tiles through [`accord_log_core::monitor::SourceTiles`], which `tlog_tiles` authenticates
/// against the checkpoint's root).
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

impl accord_log_core::monitor::TileSource for DirTileReader {
    fn fetch(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let file = self.dir.join(path);
        match std::fs::read(&file) {
            Ok(d) => Ok(Some(d)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(LogError::io(file, e)),
        }
    }
}
