/**
 * The wall-clock instant that sim time 0 stands for in files read by outside tools (OTLP spans, inspector
 * events): 2000-01-01T00:00:00Z, fixed so that the same run always exports the same timestamps. A span at
 * sim time t starts at this epoch plus t; subtract it to read sim time back.
 */
export const SIM_EPOCH_MS = 946_684_800_000;
