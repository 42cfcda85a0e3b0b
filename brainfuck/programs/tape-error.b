tape error: counts to three then walks left off the start of the tape; the
error names this file with the line and column of the move; written for
futamura under the repository's licence
+++[>+<-]>
[<<]
