import { expect } from 'chai';
import { ConnectionState } from '../../src/transport/ConnectionState';
import type { InFlightLinks } from '../../src/transport/InFlight';

interface Request {
  name: string;
  links: InFlightLinks<Request>;
}

const requests = (...names: string[]): Request[] =>
  names.map((name) => ({ name, links: { previous: undefined, next: undefined, listed: false } }));
const newConnection = () => new ConnectionState<Request>((request) => request.links);

describe('ConnectionState', () => {
  it('numbers the requests of a connection in order', () => {
    const connection = newConnection();
    const [a, b, c] = requests('a', 'b', 'c');
    expect([a, b, c].map((r) => connection.receive(r, true))).to.deep.equal([1, 2, 3]);
    expect(connection.open.toArray().map((r) => r.name)).to.deep.equal(['a', 'b', 'c']);
    connection.answered(b);
    expect(connection.open.toArray().map((r) => r.name)).to.deep.equal(['a', 'c']);
  });

  it('closes a connection after its latest request only, so no pipelined answer is dropped', () => {
    const connection = newConnection();
    const [a, b, c] = requests('a', 'b', 'c');
    connection.receive(a, true);
    connection.receive(b, true);
    // Draining: the answer to the first does not close the connection, the one to the second does.
    expect(connection.closesAfter(1, true)).to.equal(false);
    expect(connection.closesAfter(2, true)).to.equal(true);
    // Whatever arrives after that answer is not started.
    expect(connection.receive(c, true)).to.equal(undefined);
    expect(connection.closesAfter(1, true)).to.equal(false);
  });

  it('keeps the connection open when nobody wants it closed', () => {
    const connection = newConnection();
    const [a, b] = requests('a', 'b');
    connection.receive(a, true);
    expect(connection.closesAfter(1, false)).to.equal(false);
    expect(connection.receive(b, true)).to.equal(2);
  });

  it('closes after a request that asked for it, and starts nothing after it', () => {
    const connection = newConnection();
    const [a, b] = requests('a', 'b');
    connection.receive(a, false);
    expect(connection.receive(b, true)).to.equal(undefined);
    expect(connection.parseFailed()).to.equal(false);
    expect(connection.closesAfter(1, false)).to.equal(true);
  });

  it('holds a parse error until the requests before it are answered, and lets it close the connection', () => {
    const connection = newConnection();
    const [a, b, c] = requests('a', 'b', 'c');
    connection.receive(a, true);
    connection.receive(b, true);
    expect(connection.parseFailed()).to.equal(true);
    const written: string[] = [];
    connection.whenAnswered(() => written.push('parse error'));
    // The answers before it keep the connection open for it.
    expect(connection.closesAfter(2, true)).to.equal(false);
    connection.answered(b);
    expect(written).to.deep.equal([]);
    connection.answered(a);
    expect(written).to.deep.equal(['parse error']);
    connection.answered(a);
    expect(written).to.have.length(1);
    expect(connection.parseFailed()).to.equal(false);
    expect(connection.receive(c, true)).to.equal(undefined);
  });

  it('answers a parse error at once when nothing waits', () => {
    const connection = newConnection();
    expect(connection.parseFailed()).to.equal(true);
    let written = false;
    connection.whenAnswered(() => (written = true));
    expect(written).to.equal(true);
  });
});
