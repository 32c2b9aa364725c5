"""A small eFiction 3.5 archive as a MySQL dump, written for the tests: the tables as eFiction
3.5 defines them (the columns of its install SQL; unused tables left out) and generated content,
in the shapes mysqldump writes (multi-row INSERTs with column lists, one without, backslash
escapes, NULLs, dates as Unix timestamps)."""

# ruff: noqa: E501 - SQL rows are as long as mysqldump writes them

TABLES = """
CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL auto_increment,
  `penname` varchar(200) NOT NULL default '',
  `realname` varchar(200) NOT NULL default '',
  `email` varchar(200) NOT NULL default '',
  `website` varchar(200) NOT NULL default '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL default '',
  `date`  int(10) unsigned NOT NULL default '0',
  `admincreated` int(11) NOT NULL default '0',
  `password` varchar(40) NOT NULL default '0',
  PRIMARY KEY  (`uid`),
  KEY `penname` (`penname`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;

CREATE TABLE `fanfiction_categories` (
  `catid` int(11) NOT NULL auto_increment,
  `parentcatid` int(11) NOT NULL default '-1',
  `category` varchar(60) NOT NULL default '',
  `description` text NOT NULL,
  `image` varchar(100) NOT NULL default '',
  `locked` tinyint(4) NOT NULL default '0',
  `leveldown` tinyint(4) NOT NULL default '0',
  `displayorder` int(4) NOT NULL default '0',
  `numitems` int(11) NOT NULL default '0',
  PRIMARY KEY  (`catid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_characters` (
  `charid` int(11) NOT NULL auto_increment,
  `catid` int(11) NOT NULL default '0',
  `charname` varchar(60) NOT NULL default '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL default '',
  PRIMARY KEY  (`charid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_classtypes` (
  `classtype_id` int(11) NOT NULL auto_increment,
  `classtype_name` varchar(50) NOT NULL default '',
  `classtype_title` varchar(50) NOT NULL default '',
  PRIMARY KEY  (`classtype_id`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_classes` (
  `class_id` int(11) NOT NULL auto_increment,
  `class_type` int(11) NOT NULL default '0',
  `class_name` varchar(100) NOT NULL default '',
  PRIMARY KEY  (`class_id`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_ratings` (
  `rid` int(11) NOT NULL auto_increment,
  `rating` varchar(60) NOT NULL default '',
  `ratingwarning` int(11) NOT NULL default '0',
  `warningtext` text NOT NULL,
  PRIMARY KEY  (`rid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_stories` (
  `sid` int(11) NOT NULL auto_increment,
  `title` varchar(200) NOT NULL default '',
  `summary` text,
  `storynotes` text,
  `catid` varchar(100) NOT NULL default '0',
  `classes` varchar(200) default NULL,
  `charid` varchar(250) NOT NULL default '0',
  `rid` varchar(25) NOT NULL default '0',
  `date` int(10) unsigned NOT NULL default '0',
  `updated` int(10) unsigned NOT NULL default '0',
  `uid` int(11) NOT NULL default '0',
  `coauthors` varchar(200) default NULL,
  `featured` tinyint(4) NOT NULL default '0',
  `validated` tinyint(4) NOT NULL default '0',
  `completed` tinyint(4) NOT NULL default '0',
  `rr` tinyint(4) NOT NULL default '0',
  `wordcount` int(11) NOT NULL default '0',
  `rating` tinyint(4) NOT NULL default '0',
  `reviews` smallint(6) NOT NULL default '0',
  `count` int(11) NOT NULL default '0',
  `challenges` varchar(200) NOT NULL default '0',
  PRIMARY KEY  (`sid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_chapters` (
  `chapid` int(11) NOT NULL auto_increment,
  `title` varchar(250) NOT NULL default '',
  `inorder` int(11) NOT NULL default '0',
  `notes` text NOT NULL,
  `storytext` text NOT NULL,
  `endnotes` text,
  `validated` tinyint(4) NOT NULL default '0',
  `wordcount` int(11) NOT NULL default '0',
  `rating` tinyint(4) NOT NULL default '0',
  `reviews` smallint(6) NOT NULL default '0',
  `sid` int(11) NOT NULL default '0',
  `uid` int(11) NOT NULL default '0',
  `count` int(11) NOT NULL default '0',
  PRIMARY KEY  (`chapid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_coauthors` (
  `sid` int(11) NOT NULL default '0',
  `uid` int(11) NOT NULL default '0',
  PRIMARY KEY  (`sid`,`uid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_series` (
  `seriesid` int(11) NOT NULL auto_increment,
  `title` varchar(200) NOT NULL default '',
  `summary` text,
  `uid` int(11) NOT NULL default '0',
  `isopen` tinyint(4) NOT NULL default '0',
  `catid` varchar(200) NOT NULL default '0',
  `rating` tinyint(4) NOT NULL default '0',
  `classes` varchar(200) default NULL,
  `characters` varchar(250) NOT NULL default '',
  `reviews` smallint(6) NOT NULL default '0',
  `numstories` int(11) NOT NULL default '0',
  `warnings` varchar(250) NOT NULL default '',
  `challenges` varchar(200) NOT NULL default '',
  `genres` varchar(250) NOT NULL default '',
  PRIMARY KEY  (`seriesid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_inseries` (
  `seriesid` int(11) NOT NULL default '0',
  `sid` int(11) NOT NULL default '0',
  `subseriesid` int(11) NOT NULL default '0',
  `confirmed` int(11) NOT NULL default '0',
  `inorder` int(11) NOT NULL default '0',
  PRIMARY KEY  (`sid`,`seriesid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_reviews` (
  `reviewid` int(11) NOT NULL auto_increment,
  `item` int(11) NOT NULL default '0',
  `chapid` int(11) NOT NULL default '0',
  `reviewer` varchar(60) NOT NULL default '0',
  `uid` int(11) NOT NULL default '0',
  `review` text NOT NULL,
  `date` int(10) unsigned NOT NULL default '0',
  `rating` int(11) NOT NULL default '0',
  `respond` char(1) NOT NULL default '0',
  `type` char(2) NOT NULL default 'ST',
  PRIMARY KEY  (`reviewid`)
) ENGINE=MyISAM;

CREATE TABLE `fanfiction_favorites` (
  `uid` int(11) NOT NULL default '0',
  `item` int(11) NOT NULL default '0',
  `type` char(2) NOT NULL default '',
  `comments` text,
  UNIQUE KEY `byitem` (`item`,`type`,`uid`)
) ENGINE=MyISAM;
"""

# 2015-03-14 and 2016-07-01 as Unix timestamps.
DATE_1 = 1426291200
DATE_2 = 1467331200

ROWS = rf"""
LOCK TABLES `fanfiction_authors` WRITE;
INSERT INTO `fanfiction_authors` (`uid`, `penname`, `realname`, `email`, `website`, `bio`, `image`, `date`, `admincreated`, `password`) VALUES
(1,'Lantern Moth','','moth@example.org','','Writes about \'lamps\'.','',{DATE_1},0,'5f4dcc3b5aa765d61d8327deb882cf99'),
(2,'Tide & Shore','','tide@example.org','','','',{DATE_1},0,'x'),
(3,'no-mail','','','','','',{DATE_1},0,'x');
UNLOCK TABLES;

INSERT INTO `fanfiction_categories` VALUES (1,-1,'Harbour Town','The town by the sea.','',0,0,1,2),(2,1,'Lighthouse Keepers','','',0,1,2,1);
INSERT INTO `fanfiction_characters` (`charid`,`catid`,`charname`,`bio`,`image`) VALUES (1,1,'The Keeper','',''),(2,1,'Ferryman','',''),(3,2,'Gull','','');
INSERT INTO `fanfiction_classtypes` (`classtype_id`,`classtype_name`,`classtype_title`) VALUES (1,'genres','Genres'),(2,'warnings','Warnings');
INSERT INTO `fanfiction_classes` (`class_id`,`class_type`,`class_name`) VALUES (1,1,'Angst'),(2,1,'Fluff'),(3,2,'Major Character Death'),(4,2,'Mild Language');
INSERT INTO `fanfiction_ratings` (`rid`,`rating`,`ratingwarning`,`warningtext`) VALUES (1,'All Ages',0,''),(2,'Teen',0,''),(3,'Adult',1,'Adults only.');

INSERT INTO `fanfiction_stories` (`sid`, `title`, `summary`, `storynotes`, `catid`, `classes`, `charid`, `rid`, `date`, `updated`, `uid`, `coauthors`, `featured`, `validated`, `completed`, `rr`, `wordcount`, `rating`, `reviews`, `count`, `challenges`) VALUES
(10,'The Keeper\'s \"Lamp\"','A lamp, a storm &amp; a rescue.','Thanks to my beta.\r\nAnd to you.','1, 2','1,3','1,2','2',{DATE_1},{DATE_2},1,NULL,0,1,1,0,30,0,2,100,'0'),
(11,'Shared Shore','Two writers, one beach.',NULL,'1','2','3','1',{DATE_2},{DATE_2},2,'1',0,1,0,0,10,0,0,5,'0'),
(12,'Unvalidated Draft','Waiting for the admins.','','2','','','3',{DATE_2},{DATE_2},3,NULL,0,0,0,0,5,0,0,0,'0'),
(13,'Lost Chapters','Its chapters are gone.','','1','','','1',{DATE_2},{DATE_2},1,NULL,0,1,0,0,0,0,0,0,'0'),
(14,'Stored In Files','Text in stories/.','','1','','','1',{DATE_2},{DATE_2},1,NULL,0,1,1,0,0,0,0,0,'0');

INSERT INTO `fanfiction_chapters` (`chapid`, `title`, `inorder`, `notes`, `storytext`, `endnotes`, `validated`, `wordcount`, `rating`, `reviews`, `sid`, `uid`, `count`) VALUES
(101,'Storm',1,'A/N first.','The storm came @LQ@at night@RQ@.\n\nThe lamp held.','See you next time.',1,8,0,0,10,1,0),
(102,'Calm',2,'','<p>Morning came; someone wrote INSERT INTO `x` VALUES (1); here.</p><p>Back\\slash.</p>',NULL,1,9,0,0,10,1,0),
(103,'',1,'','The beach at dawn.','',1,4,0,0,11,2,0),
(104,'',1,'','Draft text.','',0,2,0,0,12,3,0),
(105,'From a file',1,'','','',1,0,0,0,14,1,0);

INSERT INTO `fanfiction_coauthors` (`sid`,`uid`) VALUES (11,1);
INSERT INTO `fanfiction_series` (`seriesid`,`title`,`summary`,`uid`,`isopen`,`catid`,`rating`,`classes`,`characters`,`reviews`,`numstories`,`warnings`,`challenges`,`genres`) VALUES (1,'Harbour Tales','Stories of the harbour.\nIn order.',1,0,'1',0,'','',0,3,'','',''),(2,'Open Shore','',2,1,'1',0,'','',0,2,'','',''),(3,'Nobody\'s Series','',99,0,'1',0,'','',0,0,'','','');
INSERT INTO `fanfiction_inseries` (`seriesid`,`sid`,`subseriesid`,`confirmed`,`inorder`) VALUES (1,11,0,1,2),(1,10,0,1,1),(1,14,0,1,3),(2,11,0,1,1),(2,10,0,1,2);
INSERT INTO `fanfiction_reviews` (`reviewid`,`item`,`chapid`,`reviewer`,`uid`,`review`,`date`,`rating`,`respond`,`type`) VALUES (1,10,101,'Tide & Shore',2,'Loved the lamp!\nAnd the storm.',{DATE_2},0,'0','ST'),(2,10,102,'Guest Reader',0,'More please. <script>alert(1)</script><b>Soon?</b>',{DATE_2},0,'0','ST'),(3,1,0,'Someone',0,'Series review.',{DATE_2},0,'0','SE'),(4,13,0,'Guest Reader',0,'Where did it go?',{DATE_2},0,'0','ST'),(5,11,0,'',0,'',{DATE_1},5,'0','ST'),(6,11,0,'Passing Gull',0,'Whole-story review.',{DATE_1},0,'0','ST');
INSERT INTO `fanfiction_favorites` (`uid`,`item`,`type`,`comments`) VALUES (2,10,'ST',''),(2,1,'AU',NULL),(3,10,'ST','My <i>favourite</i>.'),(3,12,'ST',NULL),(3,1,'SE',''),(1,13,'ST',NULL);
"""

DUMP = (
    "-- MySQL dump of a generated eFiction 3.5 test archive\n"
    "/*!40101 SET NAMES utf8 */;\n"
    + TABLES
    + ROWS.replace("@LQ@", "\u201c").replace("@RQ@", "\u201d")
)
