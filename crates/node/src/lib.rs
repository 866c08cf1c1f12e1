//! A party's node: peer exchange with receipts, deadlines, hotline and HTTP API.
