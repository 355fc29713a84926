export const OPS_BOARD_HTML = '<!doctype html><title>ops</title>';
