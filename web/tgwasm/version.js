// tgwasm's version: the one place it is written. scripts/build.sh reads it
// (by importing this module) for the package it builds.
export const VERSION = '0.1.0';
