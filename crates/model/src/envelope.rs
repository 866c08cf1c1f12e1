//! DSSE envelopes signed with Ed25519: how a record travels and is logged.
//!
//! The signature covers the DSSE pre-authentication encoding (PAE) of the payload type and the
//! payload bytes, so a verifier never parses a payload before it has checked the signature.
//! DSSE is a few lines of framing over Ed25519; no maintained Rust crate implements it over
//! `ed25519-dalek`, so it is written here against the specification.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::record::{
    RECORD_FORMAT, RECORD_FORMATS_READ, RECORD_PAYLOAD_TYPE, decode_record, record_format,
    record_payload_type,
};
use crate::{Record, RecordError};

/// A DSSE envelope as JSON: `payload` is base64 of the signed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// Base64 of the payload bytes.
    pub payload: String,
    /// The media type of the payload.
    pub payload_type: String,
    /// One or more signatures over PAE(payloadType, payload).
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature in an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// The signer's key id ([`key_id`]).
    pub keyid: String,
    /// Base64 of the Ed25519 signature.
    pub sig: String,
}

/// Why an envelope was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The envelope is not valid JSON of the DSSE shape.
    #[error("malformed envelope: {0}")]
    Malformed(String),
    /// The payload type is not the one expected (or names a record format this build does not read).
    #[error("payload type {found:?}, expected {expected:?}")]
    PayloadType {
        /// What the envelope says.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// No signature by the expected key, or the signature does not verify.
    #[error("no valid signature by key {keyid}")]
    BadSignature {
        /// The key id expected.
        keyid: String,
    },
    /// The payload is not a valid record.
    #[error("payload is not a valid record: {0}")]
    Record(String),
    /// The record's content is inconsistent.
    #[error(transparent)]
    Invalid(#[from] RecordError),
    /// The record names an author other than the signer.
    #[error("record {record} claims party {claimed} but is signed by {signer}")]
    WrongParty {
        /// The record id.
        record: String,
        /// The party the record claims.
        claimed: String,
        /// The party whose key signed it.
        signer: String,
    },
}

/// The DSSE pre-authentication encoding: `"DSSEv1" SP len(type) SP type SP len(body) SP body`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + payload_type.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// The key id of a public key: hex of the first 8 bytes of SHA-256 of the raw key.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

impl Envelope {
    /// Signs `payload` under `payload_type` with `key`.
    pub fn sign(payload_type: &str, payload: &[u8], key: &SigningKey) -> Self {
        let sig = key.sign(&pae(payload_type, payload));
        Envelope {
            payload: B64.encode(payload),
            payload_type: payload_type.to_owned(),
            signatures: vec![EnvelopeSignature {
                keyid: key_id(&key.verifying_key()),
                sig: B64.encode(sig.to_bytes()),
            }],
        }
    }

    /// Signs a record.
    pub fn sign_record(record: &Record, key: &SigningKey) -> Self {
        Self::sign(
            &record_payload_type(RECORD_FORMAT),
            &record.to_canonical_json(),
            key,
        )
    }

    /// Parses an envelope from its JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Self, EnvelopeError> {
        serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Malformed(e.to_string()))
    }

    /// The envelope as compact JSON: the exact bytes that are logged.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("envelopes serialise to JSON")
    }

    /// Checks a signature by `key` and returns the verified payload bytes.
    pub fn verify(&self, key: &VerifyingKey) -> Result<Vec<u8>, EnvelopeError> {
        let keyid = key_id(key);
        let payload = B64
            .decode(&self.payload)
            .map_err(|e| EnvelopeError::Malformed(format!("payload is not base64: {e}")))?;
        let message = pae(&self.payload_type, &payload);
        let ok = self.signatures.iter().any(|s| {
            s.keyid == keyid
                && B64
                    .decode(&s.sig)
                    .ok()
                    .and_then(|b| Signature::from_slice(&b).ok())
                    .is_some_and(|sig| key.verify(&message, &sig).is_ok())
        });
        if ok {
            Ok(payload)
        } else {
            Err(EnvelopeError::BadSignature { keyid })
        }
    }

    /// The record format its payload type names, if it is one this build reads.
    pub fn record_format(&self) -> Result<u32, EnvelopeError> {
        record_format(&self.payload_type)
            .filter(|f| RECORD_FORMATS_READ.contains(f))
            .ok_or_else(|| EnvelopeError::PayloadType {
                found: self.payload_type.clone(),
                expected: format!(
                    "{} (record formats {}..={})",
                    RECORD_PAYLOAD_TYPE,
                    RECORD_FORMATS_READ.start(),
                    RECORD_FORMATS_READ.end()
                ),
            })
    }

    /// Parses the record in the payload without checking any signature: for entries of a log
    /// whose intake checked them, where only the log and its cosigners vouch for the bytes.
    pub fn unverified_record(&self) -> Result<Record, EnvelopeError> {
        let format = self.record_format()?;
        let payload = B64
            .decode(&self.payload)
            .map_err(|e| EnvelopeError::Malformed(format!("payload is not base64: {e}")))?;
        decode_record(format, &payload).map_err(EnvelopeError::Record)
    }

    /// Verifies the signature of `signer`'s key, then parses and validates the record, which must
    /// name `signer` as its author.
    pub fn open_record(&self, signer: &str, key: &VerifyingKey) -> Result<Record, EnvelopeError> {
        let format = self.record_format()?;
        let payload = self.verify(key)?;
        let record = decode_record(format, &payload).map_err(EnvelopeError::Record)?;
        if record.party.as_str() != signer {
            return Err(EnvelopeError::WrongParty {
                record: record.id.to_string(),
                claimed: record.party.to_string(),
                signer: signer.to_owned(),
            });
        }
        record.validate()?;
        Ok(record)
    }
}

/// Makes a new Ed25519 signing key from the operating system's randomness.
pub fn generate_key() -> SigningKey {
    SigningKey::generate(&mut rand_core::OsRng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Acknowledgement, PartyId, RecordBody, RecordId};

    fn record(party: &str) -> Record {
        Record {
            id: RecordId::new("US-1").unwrap(),
            party: PartyId::new(party).unwrap(),
            issued_at: "2022-01-26T12:00:00Z".parse().unwrap(),
            body: RecordBody::Acknowledgement(Acknowledgement {
                of: RecordId::new("RU-1").unwrap(),
            }),
        }
    }

    #[test]
    fn pae_matches_the_dsse_specification_example() {
        // The worked example of the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn signed_record_opens_with_the_right_key_only() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let env = Envelope::sign_record(&record("US"), &key);
        let parsed = Envelope::from_json(&env.to_json()).unwrap();
        assert_eq!(
            parsed.open_record("US", &key.verifying_key()).unwrap(),
            record("US")
        );
        assert!(matches!(
            parsed.open_record("US", &other.verifying_key()),
            Err(EnvelopeError::BadSignature { .. })
        ));
    }

    #[test]
    fn tampered_payload_fails() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut env = Envelope::sign_record(&record("US"), &key);
        let mut bytes = B64.decode(&env.payload).unwrap();
        bytes[10] ^= 1;
        env.payload = B64.encode(bytes);
        assert!(env.verify(&key.verifying_key()).is_err());
    }

    #[test]
    fn record_claiming_another_party_is_refused() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let env = Envelope::sign_record(&record("RU"), &key);
        let e = env.open_record("US", &key.verifying_key()).unwrap_err();
        assert!(matches!(e, EnvelopeError::WrongParty { .. }), "{e}");
    }
}
