//! A loopback address that stays the same while the node behind it restarts on a new port.
//!
//! Peers name each other at start, but each node binds port 0 and reports the port it got. A
//! relay holds a port bound by the test for the whole test (never released, so never taken by
//! anything else) and passes each connection, byte for byte, to wherever the node now listens.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::thread::JoinHandle;

/// A port on 127.0.0.1 whose connections go to the node's current port.
pub struct Relay {
    port: u16,
    target: Arc<AtomicU16>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    /// Binds a port of its own; connections are closed at once until [`Relay::point_at`].
    pub fn bind() -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a relay port");
        let port = listener.local_addr().expect("relay address").port();
        let target = Arc::new(AtomicU16::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let (target, stop) = (target.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(client) = conn else { continue };
                    let to = target.load(Ordering::SeqCst);
                    // No node yet, or it is down: the client sees the connection closed, as
                    // it would see a refusal.
                    if to == 0 {
                        continue;
                    }
                    if let Ok(upstream) = TcpStream::connect(("127.0.0.1", to)) {
                        pipe(client, upstream);
                    }
                }
            })
        };
        Relay {
            port,
            target,
            stop,
            accept: Some(accept),
        }
    }

    /// The port peers are given.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Sends the next connections to `port` (0: close them).
    pub fn point_at(&self, port: u16) {
        self.target.store(port, Ordering::SeqCst);
    }
}

/// Copies bytes both ways until each side ends, passing each end on.
fn pipe(client: TcpStream, upstream: TcpStream) {
    let (Ok(client2), Ok(upstream2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    std::thread::spawn(move || copy(client, upstream2));
    std::thread::spawn(move || copy(upstream, client2));
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
    let _ = from.shutdown(Shutdown::Read);
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the stop.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}
