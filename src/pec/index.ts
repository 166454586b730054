/**
 * PEC (posta elettronica certificata): dispatch of signed reports and
 * receipt tracking. Built by the PEC issue; this module has no public
 * surface yet.
 */
export {};
