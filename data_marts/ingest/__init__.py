"""Ingest: read a department file, map it to its contract, check it, and load it into the staging store."""

from data_marts.ingest.loader import LoadResult, RuleCount, ingest_file, ingest_folder
from data_marts.ingest.mapping import MappingFile, load_mapping
from data_marts.ingest.readers import IngestError, open_file
from data_marts.staging import StagingBusyError

__all__ = ["IngestError", "LoadResult", "MappingFile", "RuleCount", "StagingBusyError", "ingest_file",
           "ingest_folder", "load_mapping", "open_file"]
