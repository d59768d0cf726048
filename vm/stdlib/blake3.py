"""BLAKE3 in pure Python (stdlib.md §15 ``blake3``), following the reference
implementation of the BLAKE3 paper (``reference_impl.rs``): default hash mode,
32-byte output.

Input is split into 1024-byte chunks of 64-byte blocks; each chunk is
compressed block by block into a chaining value, and chaining values are
merged pairwise into a binary tree through a stack (a chunk count with ``k``
trailing zero bits merges ``k`` times). The last node is compressed again
with the ROOT flag to give the output. Python has no BLAKE3 in ``hashlib``;
this is about 100 times slower than C, which is plenty for a scripting
builtin (hashing a few megabytes takes seconds, not minutes).
"""

from __future__ import annotations

import struct

_IV = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
       0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
_PERM = (2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8)
CHUNK_START, CHUNK_END, PARENT, ROOT = 1, 2, 4, 8
BLOCK_LEN = 64
CHUNK_LEN = 1024
_M = 0xFFFFFFFF
_WORDS = struct.Struct("<16I")


def _schedules() -> tuple[tuple[int, ...], ...]:
    """The message word order of each of the 7 rounds (the permutation applied k times)."""
    out = []
    order = tuple(range(16))
    for _ in range(7):
        out.append(order)
        order = tuple(order[p] for p in _PERM)
    return tuple(out)


_SCHEDULES = _schedules()
_COLUMNS = ((0, 4, 8, 12, 0, 1), (1, 5, 9, 13, 2, 3), (2, 6, 10, 14, 4, 5),
            (3, 7, 11, 15, 6, 7), (0, 5, 10, 15, 8, 9), (1, 6, 11, 12, 10, 11),
            (2, 7, 8, 13, 12, 13), (3, 4, 9, 14, 14, 15))


def compress(cv: tuple[int, ...], block: tuple[int, ...], counter: int, block_len: int,
             flags: int) -> list[int]:
    """The 16-word output of the compression function."""
    s = [*cv, _IV[0], _IV[1], _IV[2], _IV[3],
         counter & _M, (counter >> 32) & _M, block_len, flags]
    for order in _SCHEDULES:
        m = [block[i] for i in order]
        for a, b, c, d, x, y in _COLUMNS:
            va, vb, vc, vd = s[a], s[b], s[c], s[d]
            va = (va + vb + m[x]) & _M
            vd ^= va
            vd = ((vd >> 16) | (vd << 16)) & _M
            vc = (vc + vd) & _M
            vb ^= vc
            vb = ((vb >> 12) | (vb << 20)) & _M
            va = (va + vb + m[y]) & _M
            vd ^= va
            vd = ((vd >> 8) | (vd << 24)) & _M
            vc = (vc + vd) & _M
            vb ^= vc
            vb = ((vb >> 7) | (vb << 25)) & _M
            s[a], s[b], s[c], s[d] = va, vb, vc, vd
    for i in range(8):
        s[i] ^= s[i + 8]
        s[i + 8] ^= cv[i]
    return s


def _words(block: bytes) -> tuple[int, ...]:
    if len(block) < BLOCK_LEN:
        block = block + bytes(BLOCK_LEN - len(block))
    return _WORDS.unpack(block)


def _chunk_output(chunk: bytes, counter: int) -> tuple[tuple[int, ...], tuple[int, ...], int, int]:
    """``(cv, last block words, block length, flags)`` of one chunk, ready to compress."""
    cv: tuple[int, ...] = _IV
    n = len(chunk)
    nblocks = max(1, (n + BLOCK_LEN - 1) // BLOCK_LEN)
    for i in range(nblocks - 1):
        flags = CHUNK_START if i == 0 else 0
        cv = tuple(compress(cv, _words(chunk[i * 64 : i * 64 + 64]), counter, BLOCK_LEN,
                            flags)[:8])
    last = chunk[(nblocks - 1) * 64 :]
    flags = (CHUNK_START if nblocks == 1 else 0) | CHUNK_END
    return cv, _words(last), len(last), flags


def _chunk_cv(chunk: bytes, counter: int) -> tuple[int, ...]:
    cv, block, block_len, flags = _chunk_output(chunk, counter)
    return tuple(compress(cv, block, counter, block_len, flags)[:8])


def blake3_hex(data: bytes) -> str:
    """The lowercase hex BLAKE3 digest (32 bytes) of ``data``."""
    chunks = [data[i : i + CHUNK_LEN] for i in range(0, len(data), CHUNK_LEN)] or [b""]
    stack: list[tuple[int, ...]] = []
    for counter, chunk in enumerate(chunks[:-1]):
        cv = _chunk_cv(chunk, counter)
        total = counter + 1
        while total & 1 == 0:
            cv = tuple(compress(_IV, stack.pop() + cv, 0, BLOCK_LEN, PARENT)[:8])
            total >>= 1
        stack.append(cv)
    # The last chunk, then every pending parent; the final node is compressed with
    # ROOT (and output block counter 0).
    counter = len(chunks) - 1
    node_cv, block, block_len, flags = _chunk_output(chunks[-1], counter)
    while stack:
        child = tuple(compress(node_cv, block, counter, block_len, flags)[:8])
        node_cv, block, counter, block_len, flags = _IV, stack.pop() + child, 0, BLOCK_LEN, PARENT
    out = compress(node_cv, block, 0, block_len, flags | ROOT)
    return _WORDS.pack(*out)[:32].hex()
