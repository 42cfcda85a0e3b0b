bytes: prints every byte value from 0 to 255 once in order; written for futamura
under the repository's licence
Its output is not text: bytes such as 0xCA must reach the output unchanged in
both modes (the host ABI's write is raw bytes)
.+[.+]
