// GramJS's Logger and LogLevel, which receive tgwasm's diagnostics.

/** GramJS's log levels. */
export const LogLevel = Object.freeze({ NONE: 'none', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' });

/**
 * GramJS's Logger: a level, and log(level, message, color), which prints
 * to the console and which a custom logger overrides. TelegramClient's
 * baseLogger (or setLogLevel) receives tgwasm's diagnostics through it.
 * Unlike GramJS, a client logs nothing unless given one or a level.
 */
export class Logger {
  levels = ['error', 'warn', 'info', 'debug'];
  isBrowser = typeof globalThis.document !== 'undefined' || typeof globalThis.WorkerGlobalScope !== 'undefined';
  colors = {
    start: '%c', warn: 'color : #ff00ff', info: 'color : #ffff00', debug: 'color : #00ffff', error: 'color : #ff0000', end: '',
  };
  messageFormat = '[%t] [%l] - [%m]';
  tzOffset = new Date().getTimezoneOffset() * 60000;

  constructor(level) {
    this._logLevel = level || LogLevel.INFO;
    if (!this.isBrowser) {
      this.colors = { start: '\x1b[2m', warn: '\x1b[35m', info: '\x1b[33m', debug: '\x1b[36m', error: '\x1b[31m', end: '\x1b[0m' };
    }
  }

  canSend(level) {
    return this._logLevel ? this.levels.indexOf(this._logLevel) >= this.levels.indexOf(level) : false;
  }

  warn(message) { this._log(LogLevel.WARN, message, this.colors.warn); }

  info(message) { this._log(LogLevel.INFO, message, this.colors.info); }

  debug(message) { this._log(LogLevel.DEBUG, message, this.colors.debug); }

  error(message) { this._log(LogLevel.ERROR, message, this.colors.error); }

  format(message, level) {
    return this.messageFormat.replace('%t', this.getDateTime()).replace('%l', level.toUpperCase()).replace('%m', message);
  }

  get logLevel() { return this._logLevel; }

  setLevel(level) { this._logLevel = level; }

  _log(level, message, color) {
    if (this.canSend(level)) this.log(level, message, color);
  }

  /** Override this for a custom logger. */
  log(level, message, color) {
    if (!this.isBrowser) console.log(color + this.format(message, level) + this.colors.end);
    else console.log(this.colors.start + this.format(message, level), color);
  }

  getDateTime() {
    return new Date(Date.now() - this.tzOffset).toISOString().slice(0, -1);
  }
}

/** Hands a tgwasm diagnostic to a GramJS-style logger, as GramJS's own code does. */
export function toLogger(logger, level, message) {
  if (typeof logger._log === 'function') logger._log(level, message, logger.colors ? logger.colors[level] : '');
  else if (typeof logger[level] === 'function') logger[level](message);
}
