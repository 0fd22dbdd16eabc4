import { describe, expect, it } from 'vitest';
import { connectionError, pgTargetOf } from './connection-error.ts';

describe('pgTargetOf', () => {
  it('reads host, port, database and user, with PostgreSQL defaults, and never keeps the password', () => {
    expect(pgTargetOf('postgres://gw:s3cret@db.example:6432/edigw')).toEqual({ host: 'db.example', port: 6432, database: 'edigw', user: 'gw' });
    expect(pgTargetOf('postgresql://gw@db.example/edigw')).toEqual({ host: 'db.example', port: 5432, database: 'edigw', user: 'gw' });
    // no database: libpq uses the user name
    expect(pgTargetOf('postgres://gw@db.example')).toMatchObject({ database: 'gw' });
    // a unix socket directory given as ?host=
    expect(pgTargetOf('postgres://gw@/edigw?host=/run/postgresql')).toMatchObject({ host: '/run/postgresql', database: 'edigw', user: 'gw' });
    expect(pgTargetOf('postgres:///edigw?host=/run/postgresql')).toEqual({ host: '/run/postgresql', port: 5432, database: 'edigw' });
    expect(pgTargetOf('postgres://g%40w@db.example/my%20db')).toMatchObject({ user: 'g@w', database: 'my db' });
  });

  it('refuses what is not a URL with database_url_invalid', () => {
    expect(() => pgTargetOf('postgres://')).not.toThrow();
    expect(() => pgTargetOf('postgres://[bad')).toThrow(expect.objectContaining({ code: 'database_url_invalid' }));
  });
});

describe('connectionError', () => {
  const target = { host: 'localhost', port: 5432, database: 'edigw', user: 'gw' };

  it('names where it tried and the server’s reason and code', () => {
    const e = Object.assign(new Error('password authentication failed for user "gw"'), { code: '28P01' });
    const g = connectionError(target, e);
    expect(g.code).toBe('database_unavailable');
    expect(g.message).toBe('cannot connect to PostgreSQL database "edigw" at localhost:5432 as "gw": password authentication failed for user "gw"');
    expect(g.detail).toEqual({ ...target, reason: 'password authentication failed for user "gw"', serverCode: '28P01' });
  });

  it('unwraps the empty-message AggregateError Node gives when IPv6 and IPv4 are both refused', () => {
    const refused = (addr: string) => Object.assign(new Error(`connect ECONNREFUSED ${addr}`), { code: 'ECONNREFUSED' });
    const g = connectionError(target, new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')]));
    expect(g.message).toBe('cannot connect to PostgreSQL database "edigw" at localhost:5432 as "gw": connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
    expect(g.detail.serverCode).toBe('ECONNREFUSED');
  });
});
