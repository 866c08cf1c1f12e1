//! TLS between nodes. Each node's certificate is made at its first start from its own Ed25519
//! key and kept in its data directory; a peer is recognised by the key its certificate
//! carries, which must be the key the trust file lists for a party, so no certificate
//! authority stands between the parties. TLS 1.3 only, on rustls with ring.
//!
//! The certificate's names, issuer and validity dates are not checked: the trust file is the
//! only thing that says who a party is, and its keys are what a certificate is checked against.

use std::path::Path;
use std::sync::Arc;

use accord_model::PartyId;
use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};

use crate::NodeError;
use crate::access::Caller;

/// The file, in the data directory, of the node's certificate (DER).
pub const CERT_FILE: &str = "tls-cert.der";

/// Says who, if anyone known, holds a public key: the pins every TLS peer is checked against.
/// A server must be a party; a client may be a party or an operator.
pub trait Pins: Send + Sync + std::fmt::Debug {
    /// The party or operator whose key `key` is.
    fn caller(&self, key: &VerifyingKey) -> Option<Caller>;
}

/// Who a TLS connection's client is: the party or operator its certificate's pinned key
/// belongs to, or anonymous when it showed none.
pub fn caller(connection: &rustls::ServerConnection, pins: &dyn Pins) -> Caller {
    connection
        .peer_certificates()
        .and_then(|certs| certs.first())
        .and_then(certificate_key)
        .and_then(|key| pins.caller(&key))
        .unwrap_or(Caller::Anonymous)
}

fn tls_error(reason: impl std::fmt::Display) -> NodeError {
    NodeError::Malformed(format!("TLS: {reason}"))
}

/// The crypto provider every TLS configuration of the node uses.
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes ring the process's default TLS provider, which an HTTP client built without the
/// node's own configuration needs (it would otherwise panic on being built). Done when a node
/// opens and when its runtime is made; harmless when done again.
pub fn install_provider() {
    // Installing fails only when a provider is already installed, which is what is wanted.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client with no pins and no certificate, for plain-HTTP URLs and for https servers
/// with publicly trusted certificates (a monitor reading a log from a web server). It installs
/// the process's default TLS provider first, which the HTTP client needs for https.
pub fn plain_client() -> Result<reqwest::Client, NodeError> {
    install_provider();
    reqwest::Client::builder()
        .build()
        .map_err(|e| NodeError::Peer {
            peer: "*".into(),
            reason: e.to_string(),
        })
}

/// The node's certificate: read from `dir` when one made from `key` is there, otherwise made
/// (self-signed with `key`, naming `party`) and written there first.
pub fn certificate(
    dir: &Path,
    key: &SigningKey,
    party: &PartyId,
) -> Result<CertificateDer<'static>, NodeError> {
    let path = dir.join(CERT_FILE);
    if let Ok(der) = std::fs::read(&path) {
        let der = CertificateDer::from(der);
        if certificate_key(&der).as_ref() == Some(&key.verifying_key()) {
            return Ok(der);
        }
    }
    let der = make_certificate(key, party)?;
    let tmp = dir.join(format!("{CERT_FILE}.tmp"));
    std::fs::write(&tmp, der.as_ref()).map_err(|e| NodeError::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| NodeError::io(&path, e))?;
    Ok(der)
}

/// A self-signed certificate for `key`, naming `party`.
fn make_certificate(
    key: &SigningKey,
    party: &PartyId,
) -> Result<CertificateDer<'static>, NodeError> {
    let pkcs8 = private_key(key)?;
    let pair = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(pkcs8.secret_pkcs8_der().to_vec()),
        &rcgen::PKCS_ED25519,
    )
    .map_err(tls_error)?;
    let mut params = rcgen::CertificateParams::new(vec![format!(
        "{}.accord.invalid",
        party.as_str().to_lowercase()
    )])
    .map_err(tls_error)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("accord node {party}"));
    let cert = params.self_signed(&pair).map_err(tls_error)?;
    Ok(cert.der().clone())
}

/// The node's key as PKCS#8, as rustls and the certificate maker take it.
fn private_key(key: &SigningKey) -> Result<PrivatePkcs8KeyDer<'static>, NodeError> {
    let doc = key.to_pkcs8_der().map_err(tls_error)?;
    Ok(PrivatePkcs8KeyDer::from(doc.as_bytes().to_vec()))
}

/// The Ed25519 key a certificate carries, if it parses and carries one.
pub fn certificate_key(cert: &CertificateDer<'_>) -> Option<VerifyingKey> {
    let ee = webpki::EndEntityCert::try_from(cert).ok()?;
    let spki = ee.subject_public_key_info();
    // The SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) is a fixed prefix and the key's 32
    // bytes; comparing with the encoding of the candidate key checks both the algorithm and the
    // key.
    let bytes: &[u8] = spki.as_ref();
    let key: [u8; 32] = bytes.get(bytes.len().checked_sub(32)?..)?.try_into().ok()?;
    let vk = VerifyingKey::from_bytes(&key).ok()?;
    let expected = vk.to_public_key_der().ok()?;
    (expected.as_bytes() == bytes).then_some(vk)
}

/// Checks a peer's certificate against the pins: who holds the key it carries.
fn pinned(pins: &dyn Pins, cert: &CertificateDer<'_>) -> Result<Caller, rustls::Error> {
    let key = certificate_key(cert).ok_or(rustls::Error::InvalidCertificate(
        rustls::CertificateError::BadEncoding,
    ))?;
    pins.caller(&key).ok_or(rustls::Error::InvalidCertificate(
        rustls::CertificateError::ApplicationVerificationFailure,
    ))
}

/// Verifies a peer's handshake signatures with the key of its certificate.
#[derive(Debug)]
struct Signatures(WebPkiSupportedAlgorithms);

impl Signatures {
    fn new() -> Self {
        Signatures(provider().signature_verification_algorithms)
    }
    fn tls13(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }
    fn schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// The client's check of a server: its certificate carries a pinned key.
#[derive(Debug)]
struct PinnedServer {
    pins: Arc<dyn Pins>,
    signatures: Signatures,
}

impl ServerCertVerifier for PinnedServer {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match pinned(self.pins.as_ref(), end_entity)? {
            Caller::Party(_) => Ok(ServerCertVerified::assertion()),
            _ => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        tls12_refused()
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.signatures.schemes()
    }
}

/// The answer to a TLS 1.2 handshake signature: the configurations allow TLS 1.3 only.
fn tls12_refused() -> Result<HandshakeSignatureValid, rustls::Error> {
    Err(rustls::Error::PeerIncompatible(
        rustls::PeerIncompatible::Tls12NotOffered,
    ))
}

/// The server's check of a client: a client may show no certificate (it then reads only what
/// is public), and one it shows must carry a pinned key.
#[derive(Debug)]
struct PinnedClient {
    pins: Arc<dyn Pins>,
    signatures: Signatures,
}

impl ClientCertVerifier for PinnedClient {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        pinned(self.pins.as_ref(), end_entity).map(|_| ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        tls12_refused()
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.signatures.tls13(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.signatures.schemes()
    }
}

/// The server side of the node's TLS: its certificate and key, clients checked against `pins`.
pub fn server_config(
    cert: CertificateDer<'static>,
    key: &SigningKey,
    pins: Arc<dyn Pins>,
) -> Result<rustls::ServerConfig, NodeError> {
    let verifier = Arc::new(PinnedClient {
        pins,
        signatures: Signatures::new(),
    });
    rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![cert], PrivateKeyDer::Pkcs8(private_key(key)?))
        .map_err(tls_error)
}

/// The client side of the node's TLS: servers checked against `pins`, the node's certificate
/// shown so that the server knows its party.
pub fn client_config(
    cert: CertificateDer<'static>,
    key: &SigningKey,
    pins: Arc<dyn Pins>,
) -> Result<rustls::ClientConfig, NodeError> {
    let verifier = Arc::new(PinnedServer {
        pins,
        signatures: Signatures::new(),
    });
    rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(vec![cert], PrivateKeyDer::Pkcs8(private_key(key)?))
        .map_err(tls_error)
}

/// The client side for a reader that shows no certificate (a monitor or witness reading what
/// is public): servers checked against `pins`.
pub fn anonymous_client_config(pins: Arc<dyn Pins>) -> Result<rustls::ClientConfig, NodeError> {
    let verifier = Arc::new(PinnedServer {
        pins,
        signatures: Signatures::new(),
    });
    Ok(rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

/// An HTTP client that speaks TLS with pinned peers (and plain HTTP where a URL says `http`).
pub fn http_client(config: rustls::ClientConfig) -> Result<reqwest::Client, NodeError> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(8)
        .tls_backend_preconfigured(config)
        .build()
        .map_err(|e| NodeError::Peer {
            peer: "*".into(),
            reason: e.to_string(),
        })
}

/// Pins one key: the node of the party a command-line client speaks for.
#[derive(Debug)]
struct OwnNode(VerifyingKey, PartyId);

impl Pins for OwnNode {
    fn caller(&self, key: &VerifyingKey) -> Option<Caller> {
        (key == &self.0).then(|| Caller::Party(self.1.clone()))
    }
}

/// An HTTP client of a party's own node over TLS: it shows a certificate made from `key` and
/// accepts only a server whose certificate carries `key`.
pub fn own_node_client(key: &SigningKey, party: &PartyId) -> Result<reqwest::Client, NodeError> {
    let cert = make_certificate(key, party)?;
    let pins = Arc::new(OwnNode(key.verifying_key(), party.clone()));
    http_client(client_config(cert, key, pins)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    use OwnNode as One;

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    #[test]
    fn a_certificate_carries_the_node_key_and_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let us: PartyId = "US".parse().unwrap();
        let cert = certificate(dir.path(), &key(1), &us).unwrap();
        assert_eq!(certificate_key(&cert), Some(key(1).verifying_key()));
        let again = certificate(dir.path(), &key(1), &us).unwrap();
        assert_eq!(cert, again, "the certificate made at first start is kept");
        // A new key (after a rotation) gets a new certificate.
        let other = certificate(dir.path(), &key(2), &us).unwrap();
        assert_eq!(certificate_key(&other), Some(key(2).verifying_key()));
    }

    #[test]
    fn a_certificate_is_pinned_by_its_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let us: PartyId = "US".parse().unwrap();
        let cert = certificate(dir.path(), &key(1), &us).unwrap();
        let pins = One(key(1).verifying_key(), us.clone());
        assert_eq!(pinned(&pins, &cert).unwrap(), Caller::Party(us.clone()));
        let stranger = One(key(3).verifying_key(), us);
        assert!(pinned(&stranger, &cert).is_err());
        let garbage = CertificateDer::from(vec![0x30, 0x03, 1, 2, 3]);
        assert!(pinned(&pins, &garbage).is_err());
    }
}
