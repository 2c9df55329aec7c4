"""Themed data marts built from the base libraries (基础库): contracts, ingest, checks, marts, demo."""
