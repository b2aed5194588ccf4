"""The hashes Comptoir stores, computed independently of it, for tests
that check what the database holds.

  blake2b.py TEXT                         BLAKE2b-256 of TEXT (session tokens)
  blake2b.py --key-file FILE --subkey N TEXT
                                          BLAKE2b-256 of TEXT keyed with
                                          subkey N of the host secret in FILE,
                                          derived as libsodium's crypto_kdf
                                          does (context "comptoir")

Prints the hash in lower-case hex.
"""
import hashlib
import sys


def subkey(master, n):
    # crypto_kdf_blake2b_derive_from_key: the subkey id little-endian in the
    # salt, the context in the personalisation, both zero-padded to 16.
    return hashlib.blake2b(b"", digest_size=32, key=master,
                           salt=n.to_bytes(8, "little") + bytes(8),
                           person=b"comptoir" + bytes(8)).digest()


def main(argv):
    key = b""
    if len(argv) == 5 and argv[0] == "--key-file" and argv[2] == "--subkey":
        with open(argv[1]) as f:
            key = subkey(bytes.fromhex(f.read().strip()), int(argv[3]))
        argv = argv[4:]
    if len(argv) != 1:
        sys.exit(__doc__)
    print(hashlib.blake2b(argv[0].encode(), digest_size=32, key=key).hexdigest())


main(sys.argv[1:])
