"""
Streams an S3 object in ranged reads of `chunkSizeMb` and hashes it with SHA-1: the Python twin of
examples/hasher, logging the same timings. Memory buys CPU for hashing, chunk size trades request
overhead against memory. Runs unchanged on AWS (python3.12, whose runtime brings boto3) and on
the local platform (the host's python3 and its boto3).
"""

import hashlib
import json
import os
import time

import boto3

# Made during INIT, as Lambda's guidance has it, so warm invocations reuse its connections.
s3 = boto3.client("s3")
MB = 1024 * 1024


def handler(event, context):
    event = event or {}
    bucket = event.get("bucket") or os.environ.get("HASHER_BUCKET")
    key = event.get("key") or os.environ.get("HASHER_KEY")
    chunk_size_mb = _chunk_size_mb(event.get("chunkSizeMb", 10))
    if not bucket or not key:
        raise ValueError('Give "bucket" and "key" in the payload, or set HASHER_BUCKET and HASHER_KEY.')

    started = time.perf_counter()
    size = s3.head_object(Bucket=bucket, Key=key)["ContentLength"]
    timings = _hash_in_chunks(bucket, key, size, max(1, round(chunk_size_mb * MB)))
    seconds = time.perf_counter() - started
    mb_per_second = size / MB / seconds
    _log_timings(size, timings, seconds, mb_per_second, chunk_size_mb)
    return {
        "digest": timings["digest"],
        "bytes": size,
        "chunks": timings["chunks"],
        "chunkSizeMb": chunk_size_mb,
        "seconds": seconds,
        "readMs": timings["readMs"],
        "hashMs": timings["hashMs"],
        "mbPerSecond": mb_per_second,
    }


def _chunk_size_mb(value):
    """A positive number of megabytes, whole numbers kept whole (so the metric dimension reads "10", not "10.0")."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not number > 0:
        raise ValueError(f"chunkSizeMb must be a positive number, got {value}")
    return int(number) if number.is_integer() else number


def _hash_in_chunks(bucket, key, size, chunk_bytes):
    """Reads the object one ranged GET at a time, hashing each chunk as it arrives."""
    digest = hashlib.sha1()
    read_ms = hash_ms = 0.0
    chunks = 0
    for offset in range(0, size, chunk_bytes):
        last = min(offset + chunk_bytes, size) - 1
        read_started = time.perf_counter()
        data = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={offset}-{last}")["Body"].read()
        hash_started = time.perf_counter()
        digest.update(data)
        read_ms += (hash_started - read_started) * 1000
        hash_ms += (time.perf_counter() - hash_started) * 1000
        chunks += 1
    return {"digest": digest.hexdigest(), "chunks": chunks, "readMs": read_ms, "hashMs": hash_ms}


def _log_timings(size, timings, seconds, mb_per_second, chunk_size_mb):
    """One line for people reading the logs, and the same timings in CloudWatch embedded metric format."""
    print(
        f"hashed bytes={size} chunks={timings['chunks']} seconds={seconds:.3f} readMs={timings['readMs']:.1f}"
        f" hashMs={timings['hashMs']:.1f} mbPerSecond={mb_per_second:.2f}"
    )
    metrics = [{"Name": "readMs", "Unit": "Milliseconds"}, {"Name": "hashMs", "Unit": "Milliseconds"}, {"Name": "mbPerSecond", "Unit": "None"}]
    record = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [{"Namespace": "lambda-tune/hasher", "Dimensions": [["chunkSizeMb"]], "Metrics": metrics}],
        },
        "chunkSizeMb": str(chunk_size_mb),
        "readMs": round(timings["readMs"], 1),
        "hashMs": round(timings["hashMs"], 1),
        "mbPerSecond": round(mb_per_second, 2),
    }
    print(json.dumps(record))
