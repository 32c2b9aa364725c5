"""The originality engine: pure Python and numpy, no Django, usable and testable on its own.

- text: normalisation (folding, contractions, names masked) into Tokens
- fingerprint: exact hash, MinHash signatures and LSH band keys, winnowing fingerprints
- index: the repost index on disk (memory-mapped numpy arrays)
- align, repost: token alignment, name mapping, repost verification
- sources: the reference library and source finding
- files: reading input files with clear errors (the command line)
"""
