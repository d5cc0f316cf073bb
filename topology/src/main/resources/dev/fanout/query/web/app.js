// Fanout's web page: recent trees, and one tree drawn live from the query API (docs/web.md).
// Plain browser JavaScript, no build step and nothing fetched from elsewhere. Every list of children is
// read page by page with the API's cursor, so a fan-out of 100,000 runs never puts more than the pages
// asked for into the page.
(function () {
  'use strict';

  var PAGE = 50;              // children per "Load more"
  var MAX_PAGE = 1000;        // the API's largest page
  var TREE_POLL_MS = 1000;    // while a tree runs
  var LIST_POLL_MS = 2000;    // the recent trees
  var RETRY_MS = 2000;        // after an unavailable (503) or unreachable API
  var COUNT_NAMES = [
    ['succeeded', 'succeeded'], ['failed', 'failed'], ['timed_out', 'timed out'], ['skipped', 'skipped']
  ];

  var main = document.getElementById('main');
  var connection = document.getElementById('connection');
  var view = null;            // the current view; dispose() stops its timers

  // ---- small helpers -------------------------------------------------------------------------------

  /** Creates an element: h('a', {href: '#/'}, 'text', child, ...). Text is always set as text, never HTML. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'class') {
          el.className = value;
        } else if (name === 'text') {
          el.textContent = value;
        } else if (name.indexOf('on') === 0) {
          el.addEventListener(name.substring(2), value);
        } else {
          el.setAttribute(name, value === true ? '' : String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) {
        continue;
      }
      el.appendChild(typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child)) : child);
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function formatDuration(ms) {
    if (ms === null || ms === undefined) {
      return '–';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(1) + ' s';
    }
    var s = Math.floor(ms / 1000);
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ' + pad(s % 60) + ' s';
    }
    return Math.floor(s / 3600) + ' h ' + pad(Math.floor((s % 3600) / 60)) + ' min';
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  function formatNumber(n) {
    return Number(n || 0).toLocaleString('en-US');
  }

  /** A run's last progress: its message, with details, time and attempt in the tooltip. */
  function progressNote(p) {
    var title = 'last progress of attempt ' + p.attempt + ', ' + new Date(p.at).toLocaleString();
    if (p.details !== null && p.details !== undefined) {
      title += '\n' + JSON.stringify(p.details);
    }
    return h('span', {class: 'progress-note', title: title}, p.message);
  }

  function time(iso) {
    if (!iso) {
      return h('span', {text: '–'});
    }
    var d = new Date(iso);
    return h('time', {datetime: iso, title: iso}, isNaN(d.getTime()) ? iso : d.toLocaleString());
  }

  function done(counts) {
    return (counts.succeeded || 0) + (counts.failed || 0) + (counts.timed_out || 0) + (counts.skipped || 0);
  }

  function badge(status) {
    return h('span', {class: 'badge status-' + status}, status.replace('_', ' '));
  }

  /** A bar with one segment per terminal state; the rest of the width is what is still to do. */
  function progressBar(counts, label) {
    var total = counts.total || 0;
    var finished = done(counts);
    var bar = h('div', {
      class: 'progress', role: 'progressbar', 'aria-label': label,
      'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': Math.min(finished, total),
      'aria-valuetext': formatNumber(finished) + ' of ' + formatNumber(total) + ' runs done'
    });
    COUNT_NAMES.forEach(function (pair) {
      var n = counts[pair[0]] || 0;
      if (total > 0 && n > 0) {
        bar.appendChild(h('span', {
          class: 'segment segment-' + pair[0], style: 'width:' + (100 * n / total) + '%',
          title: formatNumber(n) + ' ' + pair[1]
        }));
      }
    });
    return bar;
  }

  // ---- the API -------------------------------------------------------------------------------------

  function ApiError(status, body, path) {
    this.status = status;
    this.error = body && body.error;
    this.message = (body && body.message) || ('HTTP ' + status + ' for ' + path);
    this.retryAfter = 0;
  }

  /** GET a JSON body; rejects with an ApiError (status 0 when the API cannot be reached). */
  function api(path) {
    return fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'}).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (e) {
          body = null;
        }
        if (!response.ok) {
          var err = new ApiError(response.status, body, path);
          err.retryAfter = Number(response.headers.get('Retry-After')) || 0;
          throw err;
        }
        showConnection(null);
        return body;
      });
    }, function () {
      throw new ApiError(0, {error: 'unreachable', message: 'The Fanout API does not answer; is Fanout running?'}, path);
    });
  }

  function showConnection(message) {
    connection.textContent = message || '';
    connection.hidden = !message;
  }

  /** Whether an error is worth retrying (API restarting or rebalancing) rather than showing as final. */
  function transient(err) {
    return err instanceof ApiError && (err.status === 0 || err.status === 503);
  }

  function retryDelay(err) {
    return Math.max(RETRY_MS, (err.retryAfter || 0) * 1000);
  }

  function treePath(id) {
    return '/api/trees/' + encodeURIComponent(id);
  }

  function treeHref(id) {
    return '#/trees/' + encodeURIComponent(id);
  }

  // ---- recent trees --------------------------------------------------------------------------------

  function TreeListView() {
    var self = this;
    this.timer = null;
    this.disposed = false;
    this.status = 'all';
    var select = h('select', {id: 'status-filter', onchange: function () {
      self.status = select.value;
      self.refresh();
    }},
      h('option', {value: 'all'}, 'All'), h('option', {value: 'running'}, 'Running'), h('option', {value: 'done'}, 'Done'));
    this.rows = h('tbody', {id: 'tree-rows'});
    this.empty = h('p', {class: 'empty', id: 'no-trees', hidden: true},
      'No trees yet. Emit an artifact event (', h('code', null, './fanout emit ...'), ') and it shows here.');
    this.problem = h('p', {class: 'problem', role: 'alert', hidden: true});
    clear(main);
    main.appendChild(h('section', {'aria-labelledby': 'trees-title'},
      h('div', {class: 'title-row'},
        h('h1', {id: 'trees-title'}, 'Recent trees'),
        h('form', {class: 'filters', onsubmit: function (e) { e.preventDefault(); }},
          h('label', {for: 'status-filter'}, 'Show'), select)),
      this.problem,
      h('table', {class: 'trees'},
        h('caption', {class: 'visually-hidden'}, 'Recent execution trees, newest first'),
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, 'Tree'), h('th', {scope: 'col'}, 'Artifact'), h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col', class: 'wide'}, 'Progress'), h('th', {scope: 'col', class: 'num'}, 'Runs'),
          h('th', {scope: 'col'}, 'Started'), h('th', {scope: 'col', class: 'num'}, 'Duration'))),
        this.rows),
      this.empty));
    document.title = 'Trees · Fanout';
    this.refresh();
  }

  TreeListView.prototype.refresh = function () {
    var self = this;
    clearTimeout(this.timer);
    var status = this.status;
    api('/api/trees?status=' + status + '&limit=50').then(function (body) {
      if (self.disposed || status !== self.status) {
        return;
      }
      self.problem.hidden = true;
      self.render(body.trees || []);
      self.schedule(LIST_POLL_MS);
    }, function (err) {
      if (self.disposed) {
        return;
      }
      self.problem.textContent = err.message;
      self.problem.hidden = false;
      if (err.status === 0) {
        showConnection('Reconnecting to the Fanout API…');
      }
      self.schedule(retryDelay(err));
    });
  };

  TreeListView.prototype.schedule = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.refresh(); }, ms);
  };

  TreeListView.prototype.render = function (trees) {
    clear(this.rows);
    this.empty.hidden = trees.length > 0;
    var rows = this.rows;
    trees.forEach(function (t) {
      var counts = t.counts || {};
      rows.appendChild(h('tr', {class: 'tree-row', 'data-tree-id': t.tree_id},
        h('th', {scope: 'row'}, h('a', {href: treeHref(t.tree_id)}, t.tree_id)),
        h('td', null, t.artifact),
        h('td', null, badge(t.status)),
        h('td', {class: 'wide'}, progressBar(counts, 'Progress of ' + t.tree_id)),
        h('td', {class: 'num'}, formatNumber(done(counts)) + ' / ' + formatNumber(counts.total)),
        h('td', null, time(t.started_at)),
        h('td', {class: 'num'}, formatDuration(t.duration_ms))));
    });
  };

  TreeListView.prototype.dispose = function () {
    this.disposed = true;
    clearTimeout(this.timer);
  };

  // ---- one tree ------------------------------------------------------------------------------------

  /**
   * The children of one parent (a run id, or null for the root fan-out), page by page. refresh() reads
   * again the pages already shown, so their statuses follow the tree, and updates rows in place.
   */
  function ChildList(tree, parent, label) {
    this.tree = tree;
    this.parent = parent;
    this.rows = {};           // run id -> Row
    this.count = 0;
    this.nextCursor = null;
    this.loaded = false;
    this.busy = false;
    this.list = h('ul', {class: 'nodes', 'aria-label': label});
    var self = this;
    this.more = h('button', {type: 'button', class: 'load-more', hidden: true, onclick: function () { self.loadMore(); }},
      'Load more');
    this.shown = h('p', {class: 'shown', 'aria-live': 'polite'});
    this.el = h('div', {class: 'child-list'}, this.list, h('div', {class: 'more-row'}, this.more, this.shown));
  }

  ChildList.prototype.path = function (cursor, limit) {
    var q = '?limit=' + limit;
    if (this.parent !== null) {
      q += '&parent=' + encodeURIComponent(this.parent);
    }
    if (cursor) {
      q += '&cursor=' + encodeURIComponent(cursor);
    }
    return treePath(this.tree.id) + '/nodes' + q;
  };

  ChildList.prototype.loadMore = function () {
    var self = this;
    if (this.busy || (this.loaded && !this.nextCursor)) {
      return Promise.resolve();
    }
    this.busy = true;
    this.more.disabled = true;
    return api(this.path(this.nextCursor, PAGE)).then(function (page) {
      self.loaded = true;
      self.apply(page.nodes || [], page.next_cursor);
    }).catch(function (err) {
      self.tree.report(err);
    }).then(function () {
      self.busy = false;
      self.more.disabled = false;
      self.updateMore();
    });
  };

  /** Reads again what is shown (at most MAX_PAGE a request) and updates the rows in place. */
  ChildList.prototype.refresh = function () {
    var self = this;
    if (!this.loaded || this.busy) {
      return Promise.resolve();
    }
    this.busy = true;
    var wanted = Math.max(this.count, 1);
    var seen = 0;
    var collected = [];
    function next(cursor) {
      return api(self.path(cursor, Math.min(MAX_PAGE, wanted - seen))).then(function (page) {
        var nodes = page.nodes || [];
        seen += nodes.length;
        collected.push.apply(collected, nodes);
        if (seen < wanted && page.next_cursor && nodes.length > 0) {
          return next(page.next_cursor);
        }
        return page.next_cursor;
      });
    }
    return next(null).then(function (cursor) {
      self.apply(collected, cursor);
    }).catch(function (err) {
      self.tree.report(err);
    }).then(function () {
      self.busy = false;
      self.updateMore();
      return Promise.all(self.expanded().map(function (row) { return row.children.refresh(); }));
    });
  };

  ChildList.prototype.apply = function (nodes, cursor) {
    var self = this;
    nodes.forEach(function (node) {
      var row = self.rows[node.run_id];
      if (row) {
        row.update(node);
      } else {
        row = new Row(self.tree, node);
        self.rows[node.run_id] = row;
        self.list.appendChild(row.el);
        self.count++;
      }
    });
    this.nextCursor = cursor || null;
    if (this.loaded && this.count === 0) {
      this.shown.textContent = 'No runs.';
    }
  };

  ChildList.prototype.updateMore = function () {
    this.more.hidden = !this.nextCursor;
    if (this.count > 0) {
      this.shown.textContent = formatNumber(this.count) + ' shown' + (this.nextCursor ? ', more to load' : '');
    }
  };

  ChildList.prototype.expanded = function () {
    var rows = this.rows;
    return Object.keys(rows).map(function (k) { return rows[k]; })
      .filter(function (row) { return row.children && row.open; });
  };

  /** One run: a line with its status and, when it emitted fan-outs, a button that shows their runs. */
  function Row(tree, node) {
    this.tree = tree;
    this.node = node;
    this.open = false;
    this.children = null;
    this.el = h('li', {class: 'node', 'data-run-id': node.run_id});
    this.line = h('div', {class: 'node-line'});
    this.el.appendChild(this.line);
    this.render();
  }

  Row.prototype.update = function (node) {
    this.node = node;
    this.render();
  };

  Row.prototype.name = function () {
    return this.node.repo + '/' + this.node.workflow;
  };

  Row.prototype.render = function () {
    var n = this.node;
    var self = this;
    var hadFocus = document.activeElement && this.line.contains(document.activeElement);
    clear(this.line);
    this.el.className = 'node status-' + n.status;
    if (n.children) {
      var id = 'children-' + n.run_id;
      this.toggle = h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': this.open ? 'true' : 'false', 'aria-controls': id,
        onclick: function () { self.setOpen(!self.open); }
      }, h('span', {'aria-hidden': 'true', class: 'chevron'}, this.open ? '▾' : '▸'),
        h('span', {class: 'visually-hidden'}, (this.open ? 'Hide' : 'Show') + ' the runs of ' + this.name()));
      this.line.appendChild(this.toggle);
    } else {
      this.line.appendChild(h('span', {class: 'toggle-spacer', 'aria-hidden': 'true'}));
    }
    this.line.appendChild(badge(n.status));
    this.line.appendChild(h('span', {class: 'name', title: n.subscription_id}, this.name()));
    if (n.item_index !== null && n.item_index !== undefined) {
      this.line.appendChild(h('span', {class: 'item', title: 'item index'}, '#' + n.item_index));
    }
    if (n.attempt > 1) {
      this.line.appendChild(h('span', {class: 'attempt'}, 'attempt ' + n.attempt));
    }
    this.line.appendChild(h('span', {class: 'duration', title: 'duration'}, formatDuration(n.duration_ms)));
    if (n.children) {
      var c = n.children;
      this.line.appendChild(h('span', {class: 'children-summary'},
        progressBar(c.counts || {total: c.total}, 'Runs below ' + this.name()),
        h('span', {class: 'children-count'}, formatNumber(c.done) + '/' + formatNumber(c.total) + ' below'
          + (c.fan_outs > 1 ? ' in ' + c.fan_outs + ' fan-outs' : ''))));
    }
    if (n.reason) {
      this.line.appendChild(h('span', {class: 'reason'}, n.reason));
    }
    if (n.error) {
      this.line.appendChild(h('span', {class: 'error', title: n.error}, n.error));
    }
    if (n.progress) {
      this.line.appendChild(progressNote(n.progress));
    }
    this.line.appendChild(h('code', {class: 'run-id'}, n.run_id));
    if (hadFocus && this.toggle) {
      this.toggle.focus();
    }
  };

  Row.prototype.setOpen = function (open) {
    this.open = open;
    if (open && !this.children) {
      this.children = new ChildList(this.tree, this.node.run_id, 'Runs below ' + this.name());
      this.children.el.id = 'children-' + this.node.run_id;
      this.el.appendChild(this.children.el);
    }
    if (this.children) {
      this.children.el.hidden = !open;
    }
    this.render();
    if (open) {
      if (this.children.loaded) {
        this.children.refresh();
      } else {
        this.children.loadMore();
      }
    }
  };

  function TreeView(id) {
    this.id = id;
    this.timer = null;
    this.disposed = false;
    this.summary = null;
    clear(main);
    this.status = h('p', {class: 'live-status', role: 'status', 'aria-live': 'polite'}, 'Loading…');
    this.header = h('section', {class: 'summary', 'aria-labelledby': 'tree-title'});
    this.root = new ChildList(this, null, 'Runs of the root event');
    this.runs = h('section', {class: 'runs', 'aria-labelledby': 'runs-title', hidden: true},
      h('h2', {id: 'runs-title'}, 'Runs'), this.root.el);
    main.appendChild(h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'},
      h('a', {href: '#/'}, 'Trees'), ' › ', h('span', {'aria-current': 'page'}, id)));
    main.appendChild(this.status);
    main.appendChild(this.header);
    main.appendChild(this.runs);
    document.title = id + ' · Fanout';
    this.tick();
  }

  /** One look at the tree: its summary, then the rows shown; again in a second while it runs. */
  TreeView.prototype.tick = function () {
    var self = this;
    api(treePath(this.id)).then(function (summary) {
      if (self.disposed) {
        return null;
      }
      var first = self.summary === null;
      self.renderSummary(summary);
      self.runs.hidden = false;
      return (first ? self.root.loadMore() : self.root.refresh()).then(function () {
        if (self.disposed) {
          return;
        }
        if (summary.status === 'RUNNING') {
          self.schedule(TREE_POLL_MS);
        } else {
          self.status.textContent = 'Done: ' + summary.status.replace('_', ' ') + '.';
        }
      });
    }).catch(function (err) {
      if (self.disposed) {
        return;
      }
      if (err.status === 404 && self.summary === null) {
        self.notFound(err);
      } else if (transient(err)) {
        self.report(err);
        self.schedule(retryDelay(err));
      } else {
        self.report(err);
      }
    });
  };

  TreeView.prototype.schedule = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.tick(); }, ms);
  };

  TreeView.prototype.report = function (err) {
    if (this.disposed) {
      return;
    }
    if (err.status === 0) {
      showConnection('Reconnecting to the Fanout API…');
    }
    this.status.textContent = err.status === 503 ? 'The tree\'s instance is unavailable (rebalancing); retrying…'
      : err.message;
    this.status.className = 'live-status problem';
  };

  TreeView.prototype.notFound = function (err) {
    this.status.hidden = true;
    clear(this.header);
    this.header.className = 'summary not-found';
    this.header.appendChild(h('h1', {id: 'tree-title'}, 'Tree not found'));
    this.header.appendChild(h('p', null, 'There is no tree ', h('code', null, this.id), '. ', err.message));
    this.header.appendChild(h('p', null, h('a', {href: '#/'}, 'See the recent trees')));
    document.title = 'Not found · Fanout';
  };

  TreeView.prototype.renderSummary = function (s) {
    this.summary = s;
    var counts = s.counts || {};
    var running = s.status === 'RUNNING';
    this.status.className = 'live-status';
    this.status.textContent = running ? 'Running; updating every second.' : '';
    clear(this.header);
    this.header.className = 'summary status-' + s.status;
    this.header.appendChild(h('div', {class: 'title-row'},
      h('h1', {id: 'tree-title'}, 'Tree ', h('code', null, s.tree_id)),
      h('span', {id: 'tree-status'}, badge(s.status))));
    this.header.appendChild(h('p', {class: 'artifact'}, 'Artifact ', h('code', null, s.artifact)));
    this.header.appendChild(progressBar(counts, 'Tree progress'));
    var facts = h('dl', {class: 'counts', id: 'tree-counts'});
    function fact(key, label, value) {
      facts.appendChild(h('div', {class: 'fact', 'data-fact': key}, h('dt', null, label), h('dd', null, value)));
    }
    fact('done', 'Done', formatNumber(done(counts)) + ' / ' + formatNumber(counts.total));
    fact('succeeded', 'Succeeded', formatNumber(counts.succeeded));
    fact('failed', 'Failed', formatNumber(counts.failed));
    fact('timed_out', 'Timed out', formatNumber(counts.timed_out));
    fact('skipped', 'Skipped', formatNumber(counts.skipped));
    fact('retries', 'Retries', formatNumber(counts.retries));
    if (running) {
      fact('running', 'Running', formatNumber(s.running));
      fact('queued', 'Queued', formatNumber(s.queued));
      fact('open_fan_outs', 'Open fan-outs', formatNumber(s.open_fan_outs));
    }
    fact('duration', 'Duration', formatDuration(s.duration_ms));
    fact('started', 'Started', time(s.started_at));
    if (s.finished_at) {
      fact('finished', 'Finished', time(s.finished_at));
    }
    this.header.appendChild(facts);
    if (s.failures && s.failures.length) {
      var list = h('ul', null);
      s.failures.forEach(function (f) {
        list.appendChild(h('li', null, h('strong', null, f.subscription_id), ' ', h('code', null, f.run_id), ': ',
          f.error || 'failed'));
      });
      this.header.appendChild(h('section', {class: 'failures', 'aria-labelledby': 'failures-title'},
        h('h2', {id: 'failures-title'}, 'First failures'), list));
    }
  };

  TreeView.prototype.dispose = function () {
    this.disposed = true;
    clearTimeout(this.timer);
  };

  // ---- routing -------------------------------------------------------------------------------------

  function route() {
    var hash = location.hash || '#/';
    if (hash.indexOf('#/') !== 0) {
      if (!view) {
        hash = '#/';
      } else {
        return;             // an in-page anchor, not a route
      }
    }
    if (view) {
      view.dispose();
    }
    showConnection(null);
    var match = /^#\/trees\/(.+)$/.exec(hash);
    view = match ? new TreeView(decodeURIComponent(match[1])) : new TreeListView();
    main.focus({preventScroll: true});
  }

  window.addEventListener('hashchange', route);
  route();
}());
