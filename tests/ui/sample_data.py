"""A small dataset with one case per status: restricted through a chain, eligible, review with a range."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_dataset

ENTITIES = [
    {"id": "bd", "name": "ByteDance Ltd.", "hq_country": "CN", "incorporation_country": "KY",
     "website": "bytedance.com", "ownership": "partial"},
    {"id": "tt", "name": "TikTok Ltd.", "hq_country": "SG", "incorporation_country": "KY"},
    {"id": "ttpte", "name": "TikTok Pte. Ltd.", "hq_country": "SG", "incorporation_country": "SG",
     "website": "tiktok.com", "lei": "5493001KJTIIGC8Y1R12"},
    {"id": "tc", "name": "Tencent Holdings Ltd.", "hq_country": "CN", "incorporation_country": "KY"},
    {"id": "nm", "name": "Nordic Music AB", "hq_country": "SE", "incorporation_country": "SE", "ownership": "complete"},
    {"id": "sp", "name": "Shanghai Port Holdings Co., Ltd.", "hq_country": "CN", "incorporation_country": "CN"},
    {"id": "hl", "name": "Harbor Line Logistics Pte. Ltd.", "hq_country": "SG", "incorporation_country": "SG",
     "ownership": "partial"},
    {"id": "bc", "name": "Bavaria Capital AG", "hq_country": "DE", "incorporation_country": "DE",
     "ownership": "complete"},
    {"id": "so", "name": "Shenzhen Optics Co., Ltd.", "hq_country": "CN", "incorporation_country": "CN"},
    {"id": "as", "name": "Alpine Sensors GmbH", "hq_country": "DE", "incorporation_country": "DE",
     "ownership": "complete"},
    {"id": "acme", "name": "Acme Robotics Inc.", "hq_country": "US", "incorporation_country": "US"},
]

RELATIONSHIPS = [
    {"owner_id": "bd", "owned_id": "tt", "share": 100},
    {"owner_id": "tt", "owned_id": "ttpte", "share": 100},
    {"owner_id": "tc", "owned_id": "nm", "share": 18.7},
    {"owner_id": "sp", "owned_id": "hl", "share": 40},
    {"owner_id": "bc", "owned_id": "as", "share": 40},
    {"owner_id": "so", "owned_id": "as"},  # share unknown: counts 0–60%
]

NAMES = [
    ["bd", "字节跳动", "local", "zh", "s1"],
    ["bd", "Beijing ByteDance Technology", "alias", "", "s1"],
    ["tc", "腾讯控股", "local", "zh", "s1"],
]

IDENTIFIERS = [
    ["ttpte", "domain", "tiktok.com", "s1"],
    ["bd", "domain", "bytedance.com", "s1"],
    ["nm", "domain", "nordicmusic.example", "s1"],
]


def build_sample(folder: Path, version: str = "1") -> Path:
    return make_dataset(folder, ENTITIES, RELATIONSHIPS, NAMES, IDENTIFIERS, dataset_id="sample", version=version)
