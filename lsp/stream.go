package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// maxMessage bounds the memory a single Content-Length can claim. A larger
// body is skipped, not read: a 20,000-line migration is about 1 MB.
const maxMessage = 256 << 20

// stream is the LSP base protocol (Content-Length framing) over the
// client's pipes. It replaces jsonrpc2.NewStream because there, a body that
// is not valid JSON-RPC makes Read fail, and conn.run then closes the
// connection: one malformed message would kill the server. Here a bad
// header or body is logged and skipped (see rejectMalformed); only I/O
// errors and EOF end the stream.
type stream struct {
	in  *bufio.Reader
	out io.Writer
	log *slog.Logger

	closeOnce sync.Once
	closers   []io.Closer

	writeMu sync.Mutex // a message is a header and a body: write both under one lock
}

func newStream(in io.Reader, out io.Writer, log *slog.Logger) *stream {
	s := &stream{in: bufio.NewReader(in), out: out, log: log}
	for _, x := range []any{in, out} {
		if c, ok := x.(io.Closer); ok {
			s.closers = append(s.closers, c)
		}
	}
	return s
}

func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		body, n, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		if body == nil {
			continue // a bad frame, already logged
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err != nil {
			s.rejectMalformed(body, err)
			continue
		}
		return msg, n, nil
	}
}

// readFrame reads one header block and its body. It returns a nil body
// (and no error) for a frame it had to skip.
func (s *stream) readFrame() (body []byte, total int64, err error) {
	length := int64(-1)
	sawHeader := false
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, err // EOF or I/O: the connection is over
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if !sawHeader {
				continue // stray blank line between messages
			}
			break
		}
		sawHeader = true
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			s.log.Warn("ignoring an invalid header line", "line", truncate(line, 200))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 {
				s.log.Warn("ignoring an invalid Content-Length", "value", value)
				continue
			}
			length = n
		}
	}
	if length < 0 {
		s.log.Warn("skipping a header block without Content-Length")
		return nil, total, nil
	}
	if length > maxMessage {
		s.log.Warn("skipping an oversized message", "bytes", length)
		n, err := io.CopyN(io.Discard, s.in, length)
		return nil, total + n, err
	}
	body = make([]byte, length)
	n, err := io.ReadFull(s.in, body)
	total += int64(n)
	if err != nil {
		return nil, total, err
	}
	return body, total, nil
}

func (s *stream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return 0, fmt.Errorf("marshaling message: %w", err)
	}
	return s.writeFrame(data)
}

func (s *stream) writeFrame(data []byte) (int64, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	n, err := fmt.Fprintf(s.out, "Content-Length: %d\r\n\r\n", len(data))
	if err != nil {
		return int64(n), err
	}
	m, err := s.out.Write(data)
	return int64(n + m), err
}

// rejectMalformed logs a body that is not a JSON-RPC message. When it
// still carries a usable id (a request with a bad "jsonrpc" field, say),
// the client gets an InvalidRequest error for it rather than waiting
// forever. Without one nothing is sent: JSON-RPC would have a response
// with a null id, which jsonrpc2 v0.10, Neovim 0.7 and Eglot all report
// as an invalid message of their own.
func (s *stream) rejectMalformed(body []byte, err error) {
	s.log.Warn("dropping a malformed message", "error", err, "body", truncate(string(body), 200))
	var probe struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(body, &probe) != nil || probe.Method == "" {
		return
	}
	if _, ok := parseID(probe.ID); !ok {
		return
	}
	data, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      probe.ID,
		"error":   map[string]any{"code": jsonrpc2.InvalidRequest, "message": "lockwise could not decode the request: " + err.Error()},
	})
	// Not on the read loop: a write can block until the client reads, and a
	// client busy writing to us would then never be read (both sides stuck).
	go func() {
		if _, err := s.writeFrame(data); err != nil {
			s.log.Warn("could not answer a malformed message", "error", err)
		}
	}()
}

func (s *stream) Close() error {
	var first error
	s.closeOnce.Do(func() {
		for _, c := range s.closers {
			if err := c.Close(); err != nil && first == nil {
				first = err
			}
		}
	})
	return first
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
