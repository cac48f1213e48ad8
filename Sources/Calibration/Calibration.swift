// Calibration: fitting model parameters to data (Levenberg–Marquardt, Nelder–Mead, ABC-SMC), global
// sensitivity analysis (Morris, Sobol–Saltelli) and sequential data assimilation (ensemble Kalman filters).
// See DESIGN.md §7. One concept per file; each file's doc comments give the mathematics and its source.
