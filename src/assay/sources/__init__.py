"""Sources: Resolvers over directories, archives and interpreters."""

from assay.sources.base import Resolver, safe_relpath
from assay.sources.directory import DirectoryResolver

__all__ = ["DirectoryResolver", "Resolver", "safe_relpath"]
