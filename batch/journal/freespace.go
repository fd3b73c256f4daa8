package journal

// MinFreeSpace is the free space a run needs beside its state file before
// it starts placing orders: a run that cannot record what it buys must not
// buy.
const MinFreeSpace = 16 << 20
